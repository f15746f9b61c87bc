package dev.gmsa.tensor;

import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The default {@link Backend#attention} / {@link Backend#attentionBackward} that backends without a fused kernel
 * inherit (composed from matmul, where, softmax, reductions), checked against the scalar reference.
 */
class ComposedAttentionTest {
    private static final Backend CPU = CpuBackend.instance();

    @Test
    void forwardAndBackwardMatchTheReference() {
        // batch 2, 2 kv heads serving 3 query heads each, 5 queries at positions 7..11 over 13 keys, odd head dim 9
        check(2, 2, 3, 5, 7, 1, 9, 1);
    }

    /**
     * The GPU's attention path, so every shape it meets: grouped or not, prefill (offset 0) and decode (t 1), odd
     * head sizes; q a permuted view, v a narrowed one, as the transformer passes them.
     */
    @Property(tries = 40)
    void randomShapesMatchTheReference(@ForAll @IntRange(min = 1, max = 2) int b, @ForAll @IntRange(min = 1, max = 3) int kv,
                                       @ForAll @IntRange(min = 1, max = 3) int group, @ForAll @IntRange(min = 1, max = 9) int t,
                                       @ForAll @IntRange(min = 0, max = 12) int offset, @ForAll @IntRange(min = 1, max = 33) int hd,
                                       @ForAll @IntRange(min = 0, max = 2) int futureKeys, @ForAll @IntRange(min = 1, max = 1000) int seed) {
        check(b, kv, group, t, offset, futureKeys, hd, seed);
    }

    /** Queries at positions offset..offset+t-1 over offset+t+futureKeys keys (the last ones masked by causality). */
    private static void check(int b, int kv, int group, int t, int offset, int futureKeys, int hd, int seed) {
        int h = kv * group, s = offset + t + futureKeys;
        Tensor q = Tensor.randn(seed, 1f, b, t, h, hd).permute(0, 2, 1, 3);
        Tensor k = Tensor.randn(seed + 1, 1f, b, kv, s, hd), v = Tensor.randn(seed + 2, 1f, b, kv, s + 2, hd).narrow(2, 1, s);
        Tensor dOut = Tensor.randn(seed + 3, 1f, b, h, t, hd);
        float scale = (float) (1 / Math.sqrt(hd));

        Tensor out = Tensor.zeros(b, h, t, hd), lse = Tensor.zeros(b, h, t);
        ComposedAttention.forward(CPU, q, k, v, scale, offset, out, lse);
        Tensor wantOut = Tensor.zeros(b, h, t, hd), wantLse = Tensor.zeros(b, h, t);
        ReferenceBackend.instance().attention(q, k, v, scale, offset, wantOut, wantLse);
        assertClose("out", out, wantOut);
        assertClose("logSumExp", lse, wantLse);

        Tensor dq = Tensor.zeros(q.shape()), dk = Tensor.zeros(k.shape()), dv = Tensor.zeros(v.shape());
        ComposedAttention.backward(CPU, q, k, v, out, lse, dOut, scale, offset, dq, dk, dv);
        Tensor wdq = Tensor.zeros(q.shape()), wdk = Tensor.zeros(k.shape()), wdv = Tensor.zeros(v.shape());
        ReferenceBackend.instance().attentionBackward(q, k, v, out, lse, dOut, scale, offset, wdq, wdk, wdv);
        assertClose("dq", dq, wdq);
        assertClose("dk", dk, wdk);
        assertClose("dv", dv, wdv);
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        float[] g = got.toFloatArray(), w = want.toFloatArray();
        for (int i = 0; i < g.length; i++)
            if (!(Math.abs(g[i] - w[i]) <= 2e-5 + 2e-4 * Math.abs(w[i])))
                fail(what + " " + got + ": element " + i + " is " + g[i] + ", reference " + w[i]);
    }
}
