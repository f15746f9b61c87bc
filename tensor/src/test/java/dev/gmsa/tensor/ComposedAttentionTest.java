package dev.gmsa.tensor;

import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
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
        int b = 2, kv = 2, h = 6, t = 5, offset = 7, s = 13, hd = 9;
        Tensor q = Tensor.randn(1, 1f, b, t, h, hd).permute(0, 2, 1, 3);
        Tensor k = Tensor.randn(2, 1f, b, kv, s, hd), v = Tensor.randn(3, 1f, b, kv, s + 2, hd).narrow(2, 1, s);
        Tensor dOut = Tensor.randn(4, 1f, b, h, t, hd);
        float scale = 0.4f;

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
                fail(what + ": element " + i + " is " + g[i] + ", reference " + w[i]);
    }
}
