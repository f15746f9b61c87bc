package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.AttentionProbe;
import dev.gmsa.transformer.DecoderBlock;
import dev.gmsa.transformer.Linear;
import dev.gmsa.transformer.LoraAdapter;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The encoder side of context compression: text ids -> soft tokens the decoder reads as input embeddings.
 * GMSA runs the first layers of a checkpoint (frozen, with LoRA), takes the last hidden states after the
 * final norm, averages groups of r of them (group merging), and aligns the merged vectors to the decoder's
 * input space with transformer blocks initialised from the decoder's first blocks (LSA). The baselines and
 * ablations swap the summary step or the aligner (see {@link CompressorSpec}).
 */
public final class Compressor {
    private final CompressorSpec spec;
    private final Transformer encoder;
    private final List<LoraAdapter> adapters = new ArrayList<>();
    private final Map<String, Var> trainable = new LinkedHashMap<>();
    private final Var memoryTokens;       // [slots, encoderDim], MEMORY_TOKENS only
    private final Linear projection;      // encoderDim -> decoderDim when they differ
    private final List<DecoderBlock> lsaBlocks = new ArrayList<>();
    private final Transformer decoder;
    private final Linear mlpIn, mlpOut;   // MLP aligner
    private boolean training;             // LoRA dropout on; false unless a training loop is running

    /**
     * @param encoderWeights the encoder checkpoint's weights (shared, never modified: they are frozen)
     * @param maxSoftTokens  the most soft tokens one window can produce (memory-token slots)
     */
    public Compressor(CompressorSpec spec, ModelConfig encoderConfig, Map<String, Tensor> encoderWeights,
                      Transformer decoder, int maxSoftTokens, long seed) {
        if (spec.encoderLayers() > encoderConfig.numLayers())
            throw new IllegalArgumentException(spec.name() + ": encoder asks for " + spec.encoderLayers() + " layers, the checkpoint has "
                    + encoderConfig.numLayers());
        this.spec = spec;
        this.decoder = decoder;
        this.encoder = Transformer.fromWeights(encoderConfig, encoderWeights);
        encoder.parameters().values().forEach(p -> p.requiresGrad(false));
        SplittableRandom rng = new SplittableRandom(seed);
        attachLora(spec.lora(), rng);
        int encoderDim = encoderConfig.hiddenSize(), decoderDim = decoder.config().hiddenSize();
        this.memoryTokens = spec.summary() == SummaryKind.MEMORY_TOKENS
                ? register(Var.param("memory_tokens", Tensor.randn(rng.nextLong(), 0.02f, maxSoftTokens, encoderDim))) : null;
        this.projection = encoderDim != decoderDim ? linear("projection", decoderDim, encoderDim, rng) : null;
        boolean mlp = spec.aligner() == AlignerKind.MLP;
        this.mlpIn = mlp ? linear("mlp.0", decoderDim, decoderDim, rng) : null;
        this.mlpOut = mlp ? linear("mlp.2", decoderDim, decoderDim, rng) : null;
        if (spec.aligner() == AlignerKind.LSA || spec.aligner() == AlignerKind.LSA_RANDOM) buildLsa(rng);
    }

    /** Number of soft tokens for a window of {@code length} tokens at rate r: ceil(length / r). */
    public static int softTokenCount(int length, int rate) {
        return (length + rate - 1) / rate;
    }

    /** ids of one window -> soft tokens [1, ceil(T / rate), decoderDim]. */
    public Var compress(int[] ids, int rate) {
        return compress(new int[][] {ids}, rate);
    }

    /**
     * A batch of windows of one length -> soft tokens [B, ceil(T / rate), decoderDim]; the same numbers as
     * compressing each window alone, in one pass (training steps batch their examples this way).
     */
    public Var compress(int[][] batch, int rate) {
        if (batch.length == 0 || batch[0].length == 0) throw new IllegalArgumentException("compress: empty context");
        if (rate < 1) throw new IllegalArgumentException("compress: rate must be >= 1, got " + rate);
        int length = batch[0].length, groups = softTokenCount(length, rate);
        int[] flat = new int[batch.length * length];
        for (int b = 0; b < batch.length; b++) {
            if (batch[b].length != length)
                throw new IllegalArgumentException("compress: a batch needs windows of one length, got " + batch[b].length + " and " + length);
            System.arraycopy(batch[b], 0, flat, b * length, length);
        }
        requireEncoderIds(flat);
        Var embedded = encoder.embed(Tensor.ofInts(flat, batch.length, length));
        Var summary = switch (spec.summary()) {
            case GROUP_MERGING -> GroupMeanPool.apply(encode(embedded), 1, rate);
            case MEMORY_TOKENS -> {
                if (groups > memoryTokens.size(0))
                    throw new IllegalArgumentException("compress: " + groups + " memory tokens needed, only " + memoryTokens.size(0) + " trained");
                Var slots = memoryTokens.narrow(0, 0, groups).unsqueeze(0).expand(batch.length, groups, memoryTokens.size(1));
                yield encode(Var.concat(1, embedded, slots)).narrow(1, length, groups);
            }
        };
        if (projection != null) summary = projection.forward(summary);
        return align(summary);
    }

    /** One window of a long context and its soft tokens [1, ceil(length / rate), decoderDim]. */
    public record WindowSoftTokens(int firstToken, int length, Var softTokens) {}

    /**
     * A context longer than one window, compressed window by window (the sliding scheme of the authors'
     * rebuttal): each window of at most {@code window} tokens becomes its own soft tokens. The one window loop:
     * files keep the windows apart ({@code GmsaSystem.compress}), the decoder reads them concatenated.
     */
    public List<WindowSoftTokens> compressEachWindow(int[] ids, int rate, int window) {
        if (window < 1) throw new IllegalArgumentException("compress: window must be >= 1, got " + window);
        List<WindowSoftTokens> out = new ArrayList<>();
        for (int start = 0; start < ids.length; start += window) {
            int[] w = Arrays.copyOfRange(ids, start, Math.min(ids.length, start + window));
            out.add(new WindowSoftTokens(start, w.length, compress(w, rate)));
        }
        return out;
    }

    /** {@link #compressEachWindow}'s soft tokens concatenated: [1, G, decoderDim]. */
    public Var compressWindows(int[] ids, int rate, int window) {
        List<WindowSoftTokens> windows = compressEachWindow(ids, rate, window);
        if (windows.size() == 1) return windows.get(0).softTokens();
        return Var.concat(1, windows.stream().map(WindowSoftTokens::softTokens).toArray(Var[]::new));
    }

    /** Soft tokens a context of {@code length} tokens becomes when each window is compressed on its own. */
    public static int softTokenCount(int length, int rate, int window) {
        int full = length / window, rest = length % window;
        return full * softTokenCount(window, rate) + (rest == 0 ? 0 : softTokenCount(rest, rate));
    }

    /** Ids the encoder's embedding cannot look up mean the text was tokenized for another model. */
    private void requireEncoderIds(int[] ids) {
        int vocab = encoder.config().vocabSize();
        for (int id : ids)
            if (id < 0 || id >= vocab)
                throw new IllegalArgumentException("compress: token id " + id + " is outside the encoder's vocabulary of " + vocab
                        + " (tokenize the context with the encoder's tokenizer)");
    }

    /** The encoder's last hidden states after the final norm (hidden_states[-1] in Hugging Face terms). */
    private Var encode(Var embedded) {
        return encoder.normalize(encoder.runBlocks(embedded, 0, spec.encoderLayers(), 0, null));
    }

    private Var align(Var summary) {
        return switch (spec.aligner()) {
            case NONE -> summary;
            case MLP -> mlpOut.forward(mlpIn.forward(summary).gelu());
            case LSA, LSA_RANDOM -> {
                Var h = summary;
                for (int i = 0; i < lsaBlocks.size(); i++) h = lsaBlocks.get(i).forward(h, decoder.rope(), 0, null, i);
                yield h;
            }
        };
    }

    public CompressorSpec spec() {
        return spec;
    }

    /**
     * Hands the attention probabilities of the encoder's layers to {@code probe} on every compress (null detaches it);
     * the LSA blocks are not watched. Inference only: compress inside {@code Grad.disabled()}.
     */
    public void setEncoderProbe(AttentionProbe probe) {
        encoder.setAttentionProbe(probe);
    }

    /** What training updates: LoRA adapters, memory tokens, projection and aligner, by name. */
    public Map<String, Var> trainableParameters() {
        return Collections.unmodifiableMap(trainable);
    }

    /** Restarts every dropout generator from one seed (called once per training step). */
    public void reseedDropout(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        adapters.forEach(a -> a.reseed(rng.nextLong()));
    }

    /**
     * Switches LoRA dropout on (training) or off (inference). A compressor starts in inference mode, so
     * compressing is deterministic; only autoencoder training turns dropout on, for its own steps.
     */
    public void setTraining(boolean training) {
        this.training = training;
        adapters.forEach(a -> a.setTraining(training));
    }

    public boolean isTraining() {
        return training;
    }

    // ---------------------------------------------------------------- construction

    private void attachLora(LoraSettings lora, SplittableRandom rng) {
        if (lora == null) return;
        int layers = spec.encoderLayers();
        for (var e : encoder.linears(layers).entrySet()) {
            String projName = e.getKey().substring(e.getKey().lastIndexOf('.') + 1);
            if (!lora.targets().contains(projName)) continue;
            Linear layer = e.getValue();
            LoraAdapter adapter = new LoraAdapter("encoder." + e.getKey(), layer.inFeatures(), layer.outFeatures(),
                    lora.rank(), lora.alpha(), lora.dropout(), rng.nextLong(), rng.split());
            layer.attach(adapter);
            adapters.add(adapter);
            register(adapter.down());
            register(adapter.up());
        }
    }

    /** LSA blocks: copies of the decoder's first k blocks (or random weights of the same shapes), all trainable. */
    private void buildLsa(SplittableRandom rng) {
        ModelConfig config = decoder.config();
        if (spec.lsaLayers() > config.numLayers())
            throw new IllegalArgumentException(spec.name() + ": " + spec.lsaLayers() + " LSA blocks requested, the decoder has " + config.numLayers());
        Map<String, Var> decoderParams = decoder.parameters();
        for (int layer = 0; layer < spec.lsaLayers(); layer++) {
            lsaBlocks.add(DecoderBlock.build(config, layer, (name, shape) -> {
                Tensor source = decoderParams.get(name).value();
                if (!Arrays.equals(source.shape(), shape))
                    throw new IllegalArgumentException("LSA: decoder weight " + name + " has shape " + Arrays.toString(source.shape()));
                Tensor init = spec.aligner() == AlignerKind.LSA ? source.to(DType.F32).copy() : randomLike(name, shape, rng);
                return register(Var.param("lsa." + name, init));
            }));
        }
    }

    private static Tensor randomLike(String name, int[] shape, SplittableRandom rng) {
        if (name.endsWith("norm.weight") || name.endsWith("layernorm.weight")) return Tensor.ones(shape);
        if (name.endsWith(".bias")) return Tensor.zeros(shape);
        return Tensor.randn(rng.nextLong(), 0.02f, shape);
    }

    private Linear linear(String name, int out, int in, SplittableRandom rng) {
        float std = (float) (1.0 / Math.sqrt(in));
        return new Linear(register(Var.param(name + ".weight", Tensor.randn(rng.nextLong(), std, out, in))),
                register(Var.param(name + ".bias", Tensor.zeros(out))));
    }

    private Var register(Var v) {
        if (trainable.putIfAbsent(v.name(), v) != null) throw new IllegalStateException("duplicate trainable parameter " + v.name());
        return v;
    }
}
