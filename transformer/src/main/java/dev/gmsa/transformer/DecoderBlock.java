package dev.gmsa.transformer;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.autograd.Var;

/** One pre-norm decoder layer: x + attention(norm(x)), then h + mlp(norm(h)). */
public final class DecoderBlock {
    private final float eps;
    final Var attentionNorm, mlpNorm;
    final Attention attention;
    final FeedForward mlp;

    DecoderBlock(ModelConfig config, Var attentionNorm, Attention attention, Var mlpNorm, FeedForward mlp) {
        this.eps = (float) config.rmsNormEps();
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.mlpNorm = mlpNorm;
        this.mlp = mlp;
    }

    /** Looks a weight up by its Hugging Face name, checking it has the expected shape. */
    @FunctionalInterface
    public interface WeightLookup {
        Var get(String name, int... shape);
    }

    /** Builds layer {@code layer} from weights named "model.layers.{layer}.*". */
    public static DecoderBlock build(ModelConfig config, int layer, WeightLookup weights) {
        String p = "model.layers." + layer + ".";
        int d = config.hiddenSize(), hd = config.headDim(), ff = config.intermediateSize();
        int qOut = config.numHeads() * hd, kvOut = config.numKeyValueHeads() * hd;
        Attention attention = new Attention(config,
                linear(weights, p + "self_attn.q_proj", qOut, d, config.qkvBias()),
                linear(weights, p + "self_attn.k_proj", kvOut, d, config.qkvBias()),
                linear(weights, p + "self_attn.v_proj", kvOut, d, config.qkvBias()),
                linear(weights, p + "self_attn.o_proj", d, qOut, config.outputBias()),
                config.qkNorm() ? weights.get(p + "self_attn.q_norm.weight", hd) : null,
                config.qkNorm() ? weights.get(p + "self_attn.k_norm.weight", hd) : null);
        FeedForward mlp = new FeedForward(
                linear(weights, p + "mlp.gate_proj", ff, d, config.mlpBias()),
                linear(weights, p + "mlp.up_proj", ff, d, config.mlpBias()),
                linear(weights, p + "mlp.down_proj", d, ff, config.mlpBias()));
        return new DecoderBlock(config, weights.get(p + "input_layernorm.weight", d), attention,
                weights.get(p + "post_attention_layernorm.weight", d), mlp);
    }

    private static Linear linear(WeightLookup weights, String prefix, int out, int in, boolean bias) {
        return new Linear(weights.get(prefix + ".weight", out, in), bias ? weights.get(prefix + ".bias", out) : null);
    }

    /** x [B, T, D] -> [B, T, D] */
    public Var forward(Var x, RopeTables rope, int start, KvCache cache, int layer) {
        Var h = x.add(attention.forward(RmsNorm.apply(x, attentionNorm, eps), rope, start, cache, layer));
        return h.add(mlp.forward(RmsNorm.apply(h, mlpNorm, eps)));
    }

    public Attention attention() {
        return attention;
    }

    public FeedForward mlp() {
        return mlp;
    }
}
