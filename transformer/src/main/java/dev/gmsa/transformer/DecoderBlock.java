package dev.gmsa.transformer;

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

    /** x [B, T, D] -> [B, T, D] */
    public Var forward(Var x, RopeTables rope, int start, KvCache cache, int layer) {
        Var h = x.add(attention.forward(x.rmsNorm(attentionNorm, eps), rope, start, cache, layer));
        return h.add(mlp.forward(h.rmsNorm(mlpNorm, eps)));
    }

    public Attention attention() {
        return attention;
    }

    public FeedForward mlp() {
        return mlp;
    }
}
