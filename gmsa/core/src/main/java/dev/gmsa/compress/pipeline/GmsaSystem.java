package dev.gmsa.compress.pipeline;

import dev.gmsa.loaders.AtomicFiles;
import dev.gmsa.loaders.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.format.ModelFingerprint;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.loaders.safetensors.SafetensorsFile;
import dev.gmsa.loaders.safetensors.SafetensorsWriter;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compressor and the decoder it serves, with their tokenizers and prompt conventions: what the CLI's
 * train-ae, train-keft, compress, reconstruct, ask and eval commands work on. A GMSA folder holds gmsa.json
 * (the {@link GmsaManifest}), compressor.safetensors (the trained encoder-side weights) and, after KEFT,
 * keft.safetensors (the decoder deltas). Base checkpoints are referenced, never copied.
 *
 * <p>Encoder and decoder may use different tokenizers: contexts always enter the encoder as the encoder
 * tokenizer's ids, and everything the decoder reads or predicts is the decoder tokenizer's ids (see
 * {@link TokenizerPair}). The compressor runs without LoRA dropout except inside autoencoder training.
 */
public final class GmsaSystem implements AutoCloseable {
    public static final String MANIFEST = "gmsa.json", COMPRESSOR_WEIGHTS = "compressor.safetensors", KEFT_WEIGHTS = "keft.safetensors";
    private static final ObjectMapper JSON = Json.MAPPER; // the project's one strict mapper

    private final PretrainedModel decoder;
    private final PretrainedModel encoder; // the same object when both come from one checkpoint
    private final Compressor compressor;
    private GmsaManifest manifest;
    private Map<String, Var> keftDeltas = Map.of();
    private String encoderBaseHash, decoderBaseHash; // frozen weights: hashed once, on first use
    private TokenizerPair tokenizers;

    private GmsaSystem(PretrainedModel decoder, PretrainedModel encoder, Compressor compressor, GmsaManifest manifest) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.compressor = compressor;
        this.manifest = manifest;
    }

    /** A fresh (untrained) compressor for the checkpoints the manifest names. */
    public static GmsaSystem create(GmsaManifest m, long seed) {
        PretrainedModel dec = PretrainedModel.load(Path.of(m.decoder()));
        PretrainedModel enc = m.encoder().equals(m.decoder()) ? dec : PretrainedModel.load(Path.of(m.encoder()));
        Map<String, Tensor> encoderWeights = new LinkedHashMap<>();
        enc.model().parameters().forEach((name, v) -> encoderWeights.put(name, v.value()));
        Compressor c = new Compressor(m.spec(), enc.config(), encoderWeights, dec.model(), m.maxSoftTokens(), seed);
        return new GmsaSystem(dec, enc, c, m);
    }

    /** A trained GMSA folder (see the class comment). */
    public static GmsaSystem load(Path folder) {
        GmsaManifest stored = readManifest(folder);
        GmsaManifest m = stored.withModelPaths(resolve(folder, stored.decoder()), resolve(folder, stored.encoder()));
        GmsaSystem s = create(m, 0);
        s.loadWeights(folder.resolve(COMPRESSOR_WEIGHTS), s.compressor.trainableParameters());
        if (m.keftMode() != null) {
            s.keftDeltas = KeftMode.valueOf(m.keftMode()).attach(s.decoder.model());
            s.loadWeights(folder.resolve(KEFT_WEIGHTS), s.keftDeltas);
        }
        return s;
    }

    public static GmsaManifest readManifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.exists(file)) throw new IllegalArgumentException(folder + ": not a GMSA folder (no " + MANIFEST + "; run train-ae first)");
        try {
            return JSON.readValue(file.toFile(), GmsaManifest.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private void loadWeights(Path file, Map<String, Var> into) {
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": missing (the folder's training did not finish)");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (var e : into.entrySet()) {
                if (!f.contains(e.getKey())) throw new IllegalArgumentException(file + ": no tensor " + e.getKey());
                e.getValue().value().copyFrom(f.tensor(e.getKey()));
            }
        }
    }

    /** Writes the manifest (with fingerprints) and the trained weights atomically. */
    public void save(Path folder) throws IOException {
        Files.createDirectories(folder);
        SafetensorsWriter.write(folder.resolve(COMPRESSOR_WEIGHTS), values(compressor.trainableParameters()));
        if (!keftDeltas.isEmpty()) SafetensorsWriter.write(folder.resolve(KEFT_WEIGHTS), values(keftDeltas));
        manifest = manifest.withHashes(compressorHash(), decoderHash());
        // checkpoints are named relative to the folder, so a folder moved together with them (or shipped) still loads
        GmsaManifest portable = manifest.withModelPaths(relative(folder, manifest.decoder()), relative(folder, manifest.encoder()));
        AtomicFiles.write(folder.resolve(MANIFEST), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, portable));
    }

    /** A checkpoint path as the manifest stores it: relative to the GMSA folder. */
    private static String relative(Path folder, String checkpoint) {
        return folder.toAbsolutePath().normalize().relativize(Path.of(checkpoint).toAbsolutePath().normalize()).toString();
    }

    /** A stored checkpoint path: relative to the folder; folders written before paths were relative named them from the working directory. */
    private static String resolve(Path folder, String stored) {
        Path p = Path.of(stored);
        if (p.isAbsolute()) return stored;
        Path inFolder = folder.resolve(p).normalize();
        return Files.exists(inFolder) || !Files.exists(p) ? inFolder.toString() : stored;
    }

    private static Map<String, Tensor> values(Map<String, Var> vars) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        vars.forEach((n, v) -> out.put(n, v.value()));
        return out;
    }

    // ---------------------------------------------------------------- identity

    /**
     * The compressor's identity: its trainable weights (small, and changed by every training step, so hashed each
     * time) combined with the frozen encoder base's hash, computed once.
     */
    private String compressorHash() {
        if (encoderBaseHash == null) encoderBaseHash = frozenHash(encoder.model().parameters(), compressor.trainableParameters());
        return ModelFingerprint.combine(ModelFingerprint.of(values(compressor.trainableParameters())), encoderBaseHash);
    }

    /** The decoder's identity: the frozen base's hash (computed once) combined with the KEFT deltas, if any. */
    private String decoderHash() {
        if (decoderBaseHash == null) decoderBaseHash = frozenHash(decoder.model().parameters(), keftDeltas);
        return keftDeltas.isEmpty() ? decoderBaseHash : ModelFingerprint.combine(ModelFingerprint.of(values(keftDeltas)), decoderBaseHash);
    }

    /** The hash of the parameters that no optimizer here updates (those not among {@code trained}). */
    private static String frozenHash(Map<String, Var> parameters, Map<String, Var> trained) {
        Map<String, Tensor> frozen = new LinkedHashMap<>();
        parameters.forEach((n, v) -> {
            if (!trained.containsValue(v)) frozen.put(n, v.value());
        });
        return ModelFingerprint.of(frozen);
    }

    /** The models soft tokens made by this system belong to. */
    public SoftTokenFile.Identity identity() {
        return new SoftTokenFile.Identity(manifest.method(), compressorHash(), decoderHash(), decoder.config().hiddenSize());
    }

    // ---------------------------------------------------------------- using it

    public Transformer decoderModel() {
        return decoder.model();
    }

    public Compressor compressor() {
        return compressor;
    }

    public GmsaManifest manifest() {
        return manifest;
    }

    public Tokenizer decoderTokenizer() {
        return decoder.requireTokenizer();
    }

    public Tokenizer encoderTokenizer() {
        return encoder.requireTokenizer();
    }

    /** Both tokenizers, collapsed to one when they give the same ids. */
    public TokenizerPair tokenizers() {
        if (tokenizers == null) tokenizers = TokenizerPair.of(encoderTokenizer(), decoderTokenizer());
        return tokenizers;
    }

    /** How questions are written for the decoder: the one format KEFT trains on and ask and eval use. */
    public QaPrompt qaPrompt() {
        return QaPrompt.defaults();
    }

    /** The decoder ids that follow the soft tokens when asking {@code question} (what KEFT trains on). */
    public int[] questionIds(String question) {
        return qaPrompt().question(decoderTokenizer(), question);
    }

    /** A KEFT example: the documents in the encoder's ids, question and answer in the decoder's. */
    public KeftTraining.Example keftExample(QaExample example) {
        return qaPrompt().trainingExample(encoderTokenizer(), decoderTokenizer(), example);
    }

    /**
     * An autoencoder-training task for this system: texts are drawn as encoder ids and restated as decoder ids,
     * after [soft tokens][instruction].
     */
    public AutoencoderTraining.Task autoencoderTask(int batch, int[] rates) {
        return new AutoencoderTraining.Task(batch, rates, instructionIds(), eos(), tokenizers()::toDecoder);
    }

    /** Reconstruction metrics on texts given as decoder ids (each compressed from its encoder ids). */
    public Evaluation.Reconstruction evaluateReconstruction(List<int[]> decoderTexts, int rate) {
        return Evaluation.reconstruction(compressor, decoder.model(), tokenizers(), decoderTexts, rate, instructionIds(), eos());
    }

    /** QA metrics: documents compressed window by window, questions asked as KEFT trained them. */
    public Evaluation.Qa evaluateQa(List<QaExample> examples, int rate, int maxAnswerTokens) {
        return Evaluation.qa(compressor, decoder.model(), tokenizers(), examples, rate, manifest.window(), qaPrompt(), eos(), maxAnswerTokens);
    }

    public int eos() {
        List<Integer> eos = decoder.config().eosTokenIds();
        if (!eos.isEmpty()) return eos.get(0);
        int id = decoderTokenizer().tokenId("</s>");
        if (id < 0) throw new IllegalStateException("the decoder names no EOS token (eos_token_id in config.json)");
        return id;
    }

    public int[] instructionIds() {
        return decoderTokenizer().encode(manifest.instruction());
    }

    /** Starts KEFT: attaches trainable deltas to the decoder and records the mode in the manifest. */
    public Map<String, Var> startKeft(KeftMode mode) {
        if (!keftDeltas.isEmpty()) throw new IllegalStateException("KEFT deltas are already attached");
        keftDeltas = mode.attach(decoder.model());
        manifest = manifest.withKeft(mode);
        decoderBaseHash = null; // the deltas may wrap base weights: which are frozen is decided again
        return keftDeltas;
    }

    /**
     * Compresses a context (window by window, in the encoder tokenizer's ids) into a soft-token file's content.
     * Refuses a context whose soft tokens and the reconstruction instruction would not fit the decoder.
     */
    public SoftTokenFile compress(String context, int rate, DType storage) {
        int[] ids = encoderTokenizer().encode(context);
        if (ids.length == 0) throw new IllegalArgumentException("compress: the context is empty");
        if (rate < 1) throw new IllegalArgumentException("compress: rate must be >= 1, got " + rate);
        DecoderInput.requireFits(decoder.model(), Compressor.softTokenCount(ids.length, rate, manifest.window()), instructionIds().length,
                "compress (" + ids.length + " context tokens in " + ceilDiv(ids.length, manifest.window()) + " windows of "
                        + manifest.window() + ", rate " + rate + ")");
        List<SoftTokenFile.WindowTokens> windows = new ArrayList<>();
        try (var noGrad = Grad.disabled()) {
            for (var w : compressor.compressEachWindow(ids, rate, manifest.window()))
                windows.add(new SoftTokenFile.WindowTokens(w.firstToken(), w.length(), w.softTokens().value().select(0, 0)));
        }
        return new SoftTokenFile(identity(), rate, storage, ids.length, windows);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Soft tokens [1, G, D] of a file, after checking it was made for this system. */
    public Var softTokens(SoftTokenFile file, Path source) {
        file.requireIdentity(identity(), source);
        return Var.constant(file.allSoftTokens().unsqueeze(0));
    }

    /** The decoder's restatement of the compressed text: [soft tokens][instruction] -> text. */
    public Generator.Result reconstruct(Var softTokens, int maxNewTokens) {
        return continueAfter(softTokens, instructionIds(), maxNewTokens);
    }

    /** The decoder's answer: [soft tokens][question as KEFT trained it, see {@link QaPrompt}] -> answer. */
    public Generator.Result ask(Var softTokens, String question, int maxNewTokens) {
        return continueAfter(softTokens, questionIds(question), maxNewTokens);
    }

    /** Greedy continuation of [soft tokens][prompt ids], up to EOS, maxNewTokens or the decoder's last position. */
    private Generator.Result continueAfter(Var softTokens, int[] promptIds, int maxNewTokens) {
        try (var noGrad = Grad.disabled()) {
            Var prompt = DecoderInput.prompt(decoder.model(), softTokens, promptIds);
            int budget = DecoderInput.generationBudget(decoder.model(), prompt.size(1), maxNewTokens);
            var request = new Generator.Request(budget, SamplingSettings.greedyDecoding(), Set.of(eos()), List.of());
            return new Generator(decoder.model(), decoderTokenizer()).generate(prompt, request, null);
        }
    }

    @Override
    public void close() {
        decoder.close();
        if (encoder != decoder) encoder.close();
    }

    /** Storage dtype of soft-token files by name (f32, bf16, f16). */
    public static DType storageType(String name) {
        return switch (name.toLowerCase()) {
            case "f32", "float32" -> DType.F32;
            case "bf16", "bfloat16" -> DType.BF16;
            case "f16", "float16" -> DType.F16;
            default -> throw new IllegalArgumentException("unknown soft-token dtype " + name + " (f32, bf16, f16)");
        };
    }
}
