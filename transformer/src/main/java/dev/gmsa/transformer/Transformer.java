package dev.gmsa.transformer;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only transformer of the LLaMA family built from a {@link ModelConfig} and weights named as in
 * Hugging Face checkpoints. The same object serves training (every weight is a {@link Var}; freeze with
 * {@code requiresGrad(false)}) and inference (under {@code Grad.disabled()}, with a {@link KvCache}).
 * Inputs are token ids or embedding vectors (GMSA feeds soft tokens straight in).
 */
public final class Transformer {
    private final ModelConfig config;
    private final Map<String, Var> parameters;
    private final Var embedTokens;
    private final List<DecoderBlock> blocks;
    private final Var finalNorm;
    private final Var lmHead; // the embedding table itself when tied
    private final RopeTables rope;

    private Transformer(ModelConfig config, Map<String, Var> parameters, int ropePositions) {
        this.config = config;
        this.parameters = parameters;
        this.embedTokens = require("model.embed_tokens.weight", config.vocabSize(), config.hiddenSize());
        List<DecoderBlock> list = new ArrayList<>();
        for (int i = 0; i < config.numLayers(); i++) list.add(block(i));
        this.blocks = Collections.unmodifiableList(list);
        this.finalNorm = require("model.norm.weight", config.hiddenSize());
        this.lmHead = config.tieWordEmbeddings() && !parameters.containsKey("lm_head.weight")
                ? embedTokens : require("lm_head.weight", config.vocabSize(), config.hiddenSize());
        this.rope = new RopeTables(config.ropeInverseFrequencies(), ropePositions);
        for (String name : parameters.keySet())
            if (!expectedNames().contains(name) && !name.equals("lm_head.weight"))
                throw new IllegalArgumentException("unexpected weight " + name + " for a " + config.architecture() + " model");
    }

    /** Builds the model over the given weights (no copies); every weight becomes a trainable {@link Var}. */
    public static Transformer fromWeights(ModelConfig config, Map<String, Tensor> weights) {
        Map<String, Var> params = new LinkedHashMap<>();
        weights.forEach((name, t) -> params.put(name, Var.param(name, t)));
        return new Transformer(config, params, Math.min(config.maxPositionEmbeddings(), 1 << 16));
    }

    /** Fresh weights: N(0, 0.02) matrices and embeddings, zero biases, unit norms (seeded, reproducible). */
    public static Transformer randomInit(ModelConfig config, long seed) {
        Map<String, Tensor> weights = new LinkedHashMap<>();
        long s = seed;
        for (String name : expectedNames(config)) {
            int[] shape = shapeOf(config, name);
            if (name.endsWith("norm.weight") || name.endsWith("layernorm.weight")) weights.put(name, Tensor.ones(shape));
            else if (name.endsWith(".bias")) weights.put(name, Tensor.zeros(shape));
            else weights.put(name, Tensor.randn(s++, 0.02f, shape));
        }
        return fromWeights(config, weights);
    }

    public ModelConfig config() {
        return config;
    }

    /** Every weight by its Hugging Face name, in checkpoint order. */
    public Map<String, Var> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    public List<DecoderBlock> blocks() {
        return blocks;
    }

    /** Every linear layer of blocks [0, layers) by its Hugging Face prefix, e.g. "model.layers.0.self_attn.q_proj". */
    public Map<String, Linear> linears(int layers) {
        Map<String, Linear> out = new LinkedHashMap<>();
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            DecoderBlock b = blocks.get(i);
            out.put(p + "self_attn.q_proj", b.attention.query);
            out.put(p + "self_attn.k_proj", b.attention.key);
            out.put(p + "self_attn.v_proj", b.attention.value);
            out.put(p + "self_attn.o_proj", b.attention.output);
            out.put(p + "mlp.gate_proj", b.mlp.gate);
            out.put(p + "mlp.up_proj", b.mlp.up);
            out.put(p + "mlp.down_proj", b.mlp.down);
        }
        return out;
    }

    /**
     * Hands every block's attention probabilities to {@code probe} on each forward (null detaches it). Inference only:
     * a forward with a probe attached must run inside {@code Grad.disabled()}.
     */
    public void setAttentionProbe(AttentionProbe probe) {
        for (DecoderBlock block : blocks) block.attention.setProbe(probe);
    }

    public RopeTables rope() {
        return rope;
    }

    /** ids [B, T] (I32) -> embeddings [B, T, D] */
    public Var embed(Tensor ids) {
        return embedTokens.embedding(ids);
    }

    /** Runs blocks [from, to) on x [B, T, D] at positions [start, start + T). */
    public Var runBlocks(Var x, int from, int to, int start, KvCache cache) {
        if (x.rank() != 3 || x.size(2) != config.hiddenSize())
            throw new IllegalArgumentException("transformer input must be [batch, time, " + config.hiddenSize() + "], got "
                    + java.util.Arrays.toString(x.shape()));
        Var h = x;
        for (int i = from; i < to; i++) h = blocks.get(i).forward(h, rope, start, cache, i);
        return h;
    }

    /** The final RMS norm: what Hugging Face returns as hidden_states[-1]. */
    public Var normalize(Var hidden) {
        return RmsNorm.apply(hidden, finalNorm, (float) config.rmsNormEps());
    }

    /** Last hidden states after the final norm, for embeddings x [B, T, D]. */
    public Var hiddenStates(Var x, int start, KvCache cache) {
        Var h = normalize(runBlocks(x, 0, blocks.size(), start, cache));
        if (cache != null) cache.advanceTo(start + x.size(1));
        return h;
    }

    /** Vocabulary scores for normalised hidden states [B, T, D] -> [B, T, V]. */
    public Var logits(Var normalizedHidden) {
        return normalizedHidden.matmul(lmHead.mT());
    }

    /** ids [B, T] at positions [start, ...) -> logits [B, T, V]. */
    public Var forward(Tensor ids, int start, KvCache cache) {
        return logits(hiddenStates(embed(ids), start, cache));
    }

    /** Embeddings [B, T, D] -> logits [B, T, V]. */
    public Var forwardEmbeddings(Var embeddings, int start, KvCache cache) {
        return logits(hiddenStates(embeddings, start, cache));
    }

    /**
     * Logits of the last position only, [B, V], for embeddings [B, T, D]: what generation needs. The final norm
     * and the LM head (the biggest matrix of a small model) run on one row per sequence instead of T.
     */
    public Var nextTokenLogits(Var embeddings, int start, KvCache cache) {
        Var h = runBlocks(embeddings, 0, blocks.size(), start, cache);
        if (cache != null) cache.advanceTo(start + embeddings.size(1));
        return logits(normalize(h.select(1, h.size(1) - 1)));
    }

    // ---------------------------------------------------------------- weights by name

    private DecoderBlock block(int i) {
        return DecoderBlock.build(config, i, this::require);
    }

    Var require(String name, int... shape) {
        Var v = parameters.get(name);
        if (v == null) throw new IllegalArgumentException("missing weight " + name + " (expected shape " + java.util.Arrays.toString(shape) + ")");
        if (!java.util.Arrays.equals(v.shape(), shape))
            throw new IllegalArgumentException("weight " + name + " has shape " + java.util.Arrays.toString(v.shape())
                    + ", the config needs " + java.util.Arrays.toString(shape));
        return v;
    }

    private List<String> expectedNames() {
        return expectedNames(config);
    }

    /** Every weight name a model of this config has, in checkpoint order. */
    public static List<String> expectedNames(ModelConfig c) {
        List<String> names = new ArrayList<>();
        names.add("model.embed_tokens.weight");
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            names.add(p + "input_layernorm.weight");
            for (String proj : List.of("q_proj", "k_proj", "v_proj")) {
                names.add(p + "self_attn." + proj + ".weight");
                if (c.qkvBias()) names.add(p + "self_attn." + proj + ".bias");
            }
            names.add(p + "self_attn.o_proj.weight");
            if (c.outputBias()) names.add(p + "self_attn.o_proj.bias");
            if (c.qkNorm()) {
                names.add(p + "self_attn.q_norm.weight");
                names.add(p + "self_attn.k_norm.weight");
            }
            names.add(p + "post_attention_layernorm.weight");
            for (String proj : List.of("gate_proj", "up_proj", "down_proj")) {
                names.add(p + "mlp." + proj + ".weight");
                if (c.mlpBias()) names.add(p + "mlp." + proj + ".bias");
            }
        }
        names.add("model.norm.weight");
        if (!c.tieWordEmbeddings()) names.add("lm_head.weight");
        return names;
    }

    /** The shape a weight of this name has under config c. */
    public static int[] shapeOf(ModelConfig c, String name) {
        int d = c.hiddenSize(), hd = c.headDim(), ff = c.intermediateSize();
        int qOut = c.numHeads() * hd, kvOut = c.numKeyValueHeads() * hd;
        if (name.equals("model.embed_tokens.weight") || name.equals("lm_head.weight")) return new int[] {c.vocabSize(), d};
        if (name.endsWith("q_norm.weight") || name.endsWith("k_norm.weight")) return new int[] {hd};
        if (name.endsWith("norm.weight") || name.endsWith("layernorm.weight")) return new int[] {d};
        boolean bias = name.endsWith(".bias");
        String proj = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1, name.lastIndexOf('.'));
        int[] outIn = switch (proj) {
            case "q_proj" -> new int[] {qOut, d};
            case "k_proj", "v_proj" -> new int[] {kvOut, d};
            case "o_proj" -> new int[] {d, qOut};
            case "gate_proj", "up_proj" -> new int[] {ff, d};
            case "down_proj" -> new int[] {d, ff};
            default -> throw new IllegalArgumentException("unknown weight " + name);
        };
        return bias ? new int[] {outIn[0]} : outIn;
    }
}
