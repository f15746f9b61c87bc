package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compressor and the decoder it serves, with their tokenizers and prompt conventions, in memory: what the CLI's
 * train-ae, train-keft, compress, reconstruct, ask and eval commands work on. {@link GmsaFolder} loads and saves
 * it; {@link SystemIdentity} fingerprints it.
 *
 * <p>Encoder and decoder may use different tokenizers: contexts always enter the encoder as the encoder
 * tokenizer's ids, and everything the decoder reads or predicts is the decoder tokenizer's ids (see
 * {@link TokenizerPair}). The compressor runs without LoRA dropout except inside autoencoder training.
 */
public final class GmsaSystem implements AutoCloseable {
    private final PretrainedModel decoder;
    private final PretrainedModel encoder; // the same object when both come from one checkpoint
    private final Compressor compressor;
    private final SystemIdentity identity = new SystemIdentity();
    private GmsaManifest manifest;
    private Map<String, Var> keftDeltas = Map.of();
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

    /** The KEFT deltas attached to the decoder (empty before KEFT). */
    Map<String, Var> keftDeltas() {
        return keftDeltas;
    }

    /** Attaches the mode's trainable deltas to the decoder (their values still to be trained or loaded). */
    Map<String, Var> attachKeftDeltas(KeftMode mode) {
        if (!keftDeltas.isEmpty()) throw new IllegalStateException("KEFT deltas are already attached");
        keftDeltas = mode.attach(decoder.model());
        identity.decoderChanged();
        return keftDeltas;
    }

    /** The manifest with the current weights' fingerprints, as {@link GmsaFolder#save} stores it. */
    GmsaManifest manifestWithFingerprints() {
        manifest = manifest.withHashes(compressorHash(), decoderHash());
        return manifest;
    }

    private String compressorHash() {
        return identity.compressorHash(encoder.model().parameters(), compressor.trainableParameters());
    }

    private String decoderHash() {
        return identity.decoderHash(decoder.model().parameters(), keftDeltas);
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

    /** A KEFT drill: one context (the encoder's ids) asked every question of {@code sameContext} (the decoder's ids). */
    public KeftTraining.Example keftDrill(List<QaExample> sameContext) {
        return qaPrompt().drillExample(encoderTokenizer(), decoderTokenizer(), sameContext);
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
        Map<String, Var> deltas = attachKeftDeltas(mode);
        manifest = manifest.withKeft(mode);
        return deltas;
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
}
