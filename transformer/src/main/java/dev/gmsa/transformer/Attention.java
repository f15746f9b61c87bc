package dev.gmsa.transformer;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.fused.Rope;
import dev.gmsa.autograd.fused.RopeLayout;
import dev.gmsa.tensor.Tensor;

/**
 * Causal self-attention with grouped-query heads and rotary positions; optional q/k/v biases (Qwen2)
 * and per-head RMS norms on q and k (Qwen3).
 */
public final class Attention {
    private final ModelConfig config;
    final Linear query, key, value, output;
    final Var queryNorm, keyNorm; // null unless config.qkNorm()
    private AttentionProbe probe;   // null unless a diagnostic is watching

    Attention(ModelConfig config, Linear query, Linear key, Linear value, Linear output, Var queryNorm, Var keyNorm) {
        this.config = config;
        this.query = query;
        this.key = key;
        this.value = value;
        this.output = output;
        this.queryNorm = queryNorm;
        this.keyNorm = keyNorm;
    }

    /**
     * x [B, T, D] at positions [start, start + T) -> [B, T, D]. With a cache, keys and values of earlier
     * positions come from it and this call's are stored into it (inference only: the cache holds no tape).
     */
    Var forward(Var x, RopeTables rope, int start, KvCache cache, int layer) {
        int batch = x.size(0), t = x.size(1), hd = config.headDim();
        Var q = heads(query.forward(x), batch, t, config.numHeads(), queryNorm);       // [B, H, T, hd]
        Var k = heads(key.forward(x), batch, t, config.numKeyValueHeads(), keyNorm);   // [B, KV, T, hd]
        Var v = heads(value.forward(x), batch, t, config.numKeyValueHeads(), null);
        Tensor cos = rope.cos(start, t), sin = rope.sin(start, t);
        q = Rope.apply(q, cos, sin, RopeLayout.HALF_SPLIT);
        k = Rope.apply(k, cos, sin, RopeLayout.HALF_SPLIT);
        if (cache != null) {
            cache.write(layer, start, k.value(), v.value());
            k = Var.constant(cache.keys(layer, start + t));
            v = Var.constant(cache.values(layer, start + t));
        } else if (start != 0) {
            throw new IllegalArgumentException("attention without a KV cache must start at position 0, got " + start);
        }
        float scale = (float) (1.0 / Math.sqrt(hd));
        if (probe != null) observe(q, k, scale, start, layer);
        // fused kernel: causal mask from position start, GQA by index, no [T, S] score matrix
        Var mixed = dev.gmsa.autograd.fused.Attention.apply(q, k, v, scale, start);                                   // [B, H, T, hd], time-major memory
        Var merged = mixed.permute(0, 2, 1, 3).reshape(batch, t, config.numHeads() * hd); // a view, no copy
        return output.forward(merged);
    }

    /** Watches this layer's attention probabilities (null stops watching). */
    void setProbe(AttentionProbe probe) {
        this.probe = probe;
    }

    /** Hands the probe the probabilities the fused kernel is about to apply (recomputed: the kernel keeps none). */
    private void observe(Var q, Var k, float scale, int start, int layer) {
        if (Grad.enabled())
            throw new IllegalStateException("an attention probe observes inference only: run the forward inside Grad.disabled()");
        probe.observe(layer, start, AttentionProbabilities.of(q.value(), k.value(), scale, start));
    }

    /** [B, T, heads * hd] -> [B, heads, T, hd], with the optional per-head RMS norm. */
    private Var heads(Var projected, int batch, int t, int heads, Var norm) {
        Var h = projected.reshape(batch, t, heads, config.headDim());
        if (norm != null) h = RmsNorm.apply(h, norm, (float) config.rmsNormEps());
        return h.permute(0, 2, 1, 3);
    }
}
