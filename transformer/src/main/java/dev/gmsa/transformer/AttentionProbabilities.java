package dev.gmsa.transformer;

import dev.gmsa.tensor.Tensor;

/**
 * The attention probabilities the fused kernel applies but never stores, recomputed plainly for one batch item:
 * softmax(scale q k^T) with keys after each query masked, each key/value head serving {@code heads / kvHeads}
 * consecutive query heads. Scalar code on purpose: it is a readable reference, run only when a probe asks.
 */
final class AttentionProbabilities {
    private AttentionProbabilities() {}

    /**
     * q [B, H, T, hd] and k [B, KV, S, hd] after RoPE (and q/k norms), query t at position start + t
     * -> probabilities [H, T, S] of batch item 0.
     */
    static Tensor of(Tensor q, Tensor k, float scale, int start) {
        int heads = q.size(1), t = q.size(2), hd = q.size(3), kvHeads = k.size(1), s = k.size(2);
        float[] queries = q.select(0, 0).contiguous().toFloatArray(), keys = k.select(0, 0).contiguous().toFloatArray();
        float[] p = new float[heads * t * s];
        for (int h = 0; h < heads; h++) {
            int kvHead = h / (heads / kvHeads);
            for (int i = 0; i < t; i++) {
                int visible = Math.min(s, start + i + 1); // causal: keys [0, start + i]
                double[] scores = new double[visible];
                for (int j = 0; j < visible; j++)
                    scores[j] = scale * dot(queries, (h * t + i) * hd, keys, (kvHead * s + j) * hd, hd);
                softmaxInto(scores, p, (h * t + i) * s);
            }
        }
        return Tensor.of(p, heads, t, s);
    }

    private static double dot(float[] a, int aOffset, float[] b, int bOffset, int n) {
        double sum = 0;
        for (int d = 0; d < n; d++) sum += (double) a[aOffset + d] * b[bOffset + d];
        return sum;
    }

    /** Writes softmax(scores) at out[offset ...]; the entries after it (future keys) stay zero. */
    private static void softmaxInto(double[] scores, float[] out, int offset) {
        double max = Double.NEGATIVE_INFINITY, total = 0;
        for (double x : scores) max = Math.max(max, x);
        double[] e = new double[scores.length];
        for (int j = 0; j < scores.length; j++) total += e[j] = Math.exp(scores[j] - max);
        for (int j = 0; j < scores.length; j++) out[offset + j] = (float) (e[j] / total);
    }
}
