package dev.gmsa.transformer;

import java.util.List;

/**
 * The hyper-parameters of a decoder-only transformer of the LLaMA family (LLaMA-2/3, Qwen2/2.5, Qwen3), as read
 * from a Hugging Face {@code config.json}. Architecture differences are flags, not subclasses:
 * Qwen2 adds q/k/v biases, Qwen3 adds RMS norms on q and k and may have {@code headDim != hiddenSize / numHeads}.
 *
 * @param architecture      {@code llama}, {@code qwen2} or {@code qwen3}
 * @param numKeyValueHeads  grouped-query attention: each KV head serves {@code numHeads / numKeyValueHeads} query heads
 * @param ropeScaling       null unless the config asks for llama3 frequency scaling
 * @param qkvBias           q_proj, k_proj and v_proj carry a bias
 * @param outputBias        o_proj carries a bias
 * @param mlpBias           gate/up/down projections carry a bias
 * @param qkNorm            RMS norm over each head of q and k before RoPE (Qwen3)
 * @param bosTokenIds       empty when the config names none; a list because some configs give several
 * @param dtype             the stored weights' dtype as the config names it ({@code float32}, {@code bfloat16}, ...)
 *
 * Build one by name with {@link #builder()} (or change a few fields of another with {@link #toBuilder()}); the
 * canonical constructor is for the config reader, which has every field.
 */
public record ModelConfig(
        String architecture,
        int hiddenSize,
        int intermediateSize,
        int numLayers,
        int numHeads,
        int numKeyValueHeads,
        int headDim,
        int vocabSize,
        double rmsNormEps,
        double ropeTheta,
        Llama3RopeScaling ropeScaling,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean qkvBias,
        boolean outputBias,
        boolean mlpBias,
        boolean qkNorm,
        List<Integer> bosTokenIds,
        List<Integer> eosTokenIds,
        String dtype) {

    public static final List<String> SUPPORTED_ARCHITECTURES = List.of("llama", "qwen2", "qwen3");

    public ModelConfig {
        if (!SUPPORTED_ARCHITECTURES.contains(architecture))
            throw new IllegalArgumentException("unsupported architecture " + architecture + " (supported: llama, qwen2, qwen3)");
        requirePositive("hidden_size", hiddenSize);
        requirePositive("intermediate_size", intermediateSize);
        requirePositive("num_hidden_layers", numLayers);
        requirePositive("num_attention_heads", numHeads);
        requirePositive("num_key_value_heads", numKeyValueHeads);
        requirePositive("head_dim", headDim);
        requirePositive("vocab_size", vocabSize);
        requirePositive("max_position_embeddings", maxPositionEmbeddings);
        if (numHeads % numKeyValueHeads != 0)
            throw new IllegalArgumentException("num_attention_heads " + numHeads + " is not a multiple of num_key_value_heads " + numKeyValueHeads);
        if (headDim % 2 != 0) throw new IllegalArgumentException("head_dim " + headDim + " must be even for RoPE");
        if (!(rmsNormEps > 0)) throw new IllegalArgumentException("rms_norm_eps must be > 0, got " + rmsNormEps);
        if (!(ropeTheta > 0)) throw new IllegalArgumentException("rope_theta must be > 0, got " + ropeTheta);
        bosTokenIds = List.copyOf(bosTokenIds);
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /**
     * A LLaMA config with the sizes still to set: grouped-query sharing off (kv heads = heads), head size hidden /
     * heads, RMS eps 1e-5, RoPE theta 10,000 unscaled, 2,048 positions, untied, no biases, no q/k norms, no BOS or
     * EOS ids, float32.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.architecture = architecture;
        b.hiddenSize = hiddenSize;
        b.intermediateSize = intermediateSize;
        b.numLayers = numLayers;
        b.numHeads = numHeads;
        b.numKeyValueHeads = numKeyValueHeads;
        b.headDim = headDim;
        b.vocabSize = vocabSize;
        b.rmsNormEps = rmsNormEps;
        b.ropeTheta = ropeTheta;
        b.ropeScaling = ropeScaling;
        b.maxPositionEmbeddings = maxPositionEmbeddings;
        b.tieWordEmbeddings = tieWordEmbeddings;
        b.qkvBias = qkvBias;
        b.outputBias = outputBias;
        b.mlpBias = mlpBias;
        b.qkNorm = qkNorm;
        b.bosTokenIds = bosTokenIds;
        b.eosTokenIds = eosTokenIds;
        b.dtype = dtype;
        return b;
    }

    /** Named fields for {@link ModelConfig}; sizes left unset (0) are reported by name when built. */
    public static final class Builder {
        private String architecture = "llama";
        private int hiddenSize, intermediateSize, numLayers, numHeads, vocabSize;
        private Integer numKeyValueHeads, headDim; // derived from the heads and the width unless set
        private double rmsNormEps = 1e-5, ropeTheta = 10000.0;
        private Llama3RopeScaling ropeScaling;
        private int maxPositionEmbeddings = 2048;
        private boolean tieWordEmbeddings, qkvBias, outputBias, mlpBias, qkNorm;
        private List<Integer> bosTokenIds = List.of(), eosTokenIds = List.of();
        private String dtype = "float32";

        private Builder() {}

        public Builder architecture(String v) { architecture = v; return this; }
        public Builder hiddenSize(int v) { hiddenSize = v; return this; }
        public Builder intermediateSize(int v) { intermediateSize = v; return this; }
        public Builder numLayers(int v) { numLayers = v; return this; }
        public Builder numHeads(int v) { numHeads = v; return this; }
        public Builder numKeyValueHeads(int v) { numKeyValueHeads = v; return this; }
        public Builder headDim(int v) { headDim = v; return this; }
        public Builder vocabSize(int v) { vocabSize = v; return this; }
        public Builder rmsNormEps(double v) { rmsNormEps = v; return this; }
        public Builder ropeTheta(double v) { ropeTheta = v; return this; }
        public Builder ropeScaling(Llama3RopeScaling v) { ropeScaling = v; return this; }
        public Builder maxPositionEmbeddings(int v) { maxPositionEmbeddings = v; return this; }
        public Builder tieWordEmbeddings(boolean v) { tieWordEmbeddings = v; return this; }
        public Builder qkvBias(boolean v) { qkvBias = v; return this; }
        public Builder outputBias(boolean v) { outputBias = v; return this; }
        public Builder mlpBias(boolean v) { mlpBias = v; return this; }
        public Builder qkNorm(boolean v) { qkNorm = v; return this; }
        public Builder bosTokenIds(Integer... ids) { bosTokenIds = List.of(ids); return this; }
        public Builder eosTokenIds(Integer... ids) { eosTokenIds = List.of(ids); return this; }
        public Builder bosTokenIds(List<Integer> ids) { bosTokenIds = ids; return this; }
        public Builder eosTokenIds(List<Integer> ids) { eosTokenIds = ids; return this; }
        public Builder dtype(String v) { dtype = v; return this; }

        public ModelConfig build() {
            int heads = numHeads;
            int kv = numKeyValueHeads != null ? numKeyValueHeads : heads;
            int hd = headDim != null ? headDim : (heads > 0 ? hiddenSize / heads : 0);
            return new ModelConfig(architecture, hiddenSize, intermediateSize, numLayers, heads, kv, hd, vocabSize, rmsNormEps,
                    ropeTheta, ropeScaling, maxPositionEmbeddings, tieWordEmbeddings, qkvBias, outputBias, mlpBias, qkNorm,
                    bosTokenIds, eosTokenIds, dtype);
        }
    }

    private static void requirePositive(String key, int value) {
        if (value <= 0) throw new IllegalArgumentException(key + " must be > 0, got " + value);
    }

    /** Query heads sharing one key/value head. */
    public int groupSize() {
        return numHeads / numKeyValueHeads;
    }

    /**
     * RoPE inverse frequencies, one per rotary pair: {@code theta^(-2i/headDim)} for i in [0, headDim/2),
     * then llama3 scaling if configured. Computed in double, rounded once to float.
     */
    public float[] ropeInverseFrequencies() {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            double f = 1.0 / Math.pow(ropeTheta, (2.0 * i) / headDim);
            inv[i] = (float) (ropeScaling == null ? f : ropeScaling.scale(f));
        }
        return inv;
    }
}
