package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import static dev.gmsa.tensor.cpu.GemmChecks.withThreads;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/** The fused causal attention kernel (forward and backward) against the scalar reference. */
class AttentionKernelTest {
    /** Problem sizes: batch, kv heads, group, query rows T, causal offset, extra keys beyond offset + T, head dim. */
    record Case(int batch, int kvHeads, int group, int t, int offset, int extraKeys, int hd) {
        int heads() { return kvHeads * group; }
        int keys() { return offset + t + extraKeys; }
    }

    @Provide
    Arbitrary<Case> cases() {
        return net.jqwik.api.Combinators.combine(
                Arbitraries.of(1, 2), Arbitraries.of(1, 2, 3), Arbitraries.of(1, 2, 3), Arbitraries.of(1, 2, 5, 17, 70),
                Arbitraries.of(0, 1, 13, 64), Arbitraries.of(0, 0, 3), Arbitraries.of(1, 3, 4, 8, 12, 16, 17, 29, 48))
                .as(Case::new);
    }

    /** q as the model makes it: a head-major view of [B, T, H, hd] (T axis strided). */
    static Tensor queries(long seed, Case c) {
        return Tensor.randn(seed, 1f, c.batch(), c.t(), c.heads(), c.hd()).permute(0, 2, 1, 3);
    }

    /** k or v as the KV cache holds them: the first S positions of a longer [B, KV, capacity, hd] buffer. */
    static Tensor cached(long seed, Case c) {
        return Tensor.randn(seed, 1f, c.batch(), c.kvHeads(), c.keys() + 4, c.hd()).narrow(2, 0, c.keys());
    }

    @Property(tries = 60)
    void forwardMatchesTheReference(@ForAll("cases") Case c) {
        Tensor q = queries(1, c), k = cached(2, c), v = cached(3, c);
        float scale = (float) (1 / Math.sqrt(c.hd()));
        for (int threads : new int[] {1, 2})
            withThreads(threads, () -> {
                Tensor lse = Tensor.zeros(c.batch(), c.heads(), c.t());
                Tensor out = q.attention(k, v, scale, c.offset(), lse);
                Tensor wantOut = Tensor.zeros(q.shape()), wantLse = Tensor.zeros(c.batch(), c.heads(), c.t());
                ReferenceBackend.instance().attention(q, k, v, scale, c.offset(), wantOut, wantLse);
                assertClose("out " + c, out, wantOut);
                assertClose("logSumExp " + c, lse, wantLse);
            });
    }

    @Property(tries = 40)
    void backwardMatchesTheReference(@ForAll("cases") Case c) {
        Tensor q = queries(4, c), k = cached(5, c), v = cached(6, c);
        Tensor dOut = Tensor.randn(7, 1f, c.batch(), c.t(), c.heads(), c.hd()).permute(0, 2, 1, 3);
        float scale = 0.3f;
        Tensor lse = Tensor.zeros(c.batch(), c.heads(), c.t());
        Tensor out = q.attention(k, v, scale, c.offset(), lse);
        for (int threads : new int[] {1, 2})
            withThreads(threads, () -> {
                Tensor[] got = Tensor.attentionBackward(q, k, v, out, lse, dOut, scale, c.offset());
                Tensor dq = Tensor.zeros(q.shape()), dk = Tensor.zeros(k.shape()), dv = Tensor.zeros(v.shape());
                ReferenceBackend.instance().attentionBackward(q, k, v, out, lse, dOut, scale, c.offset(), dq, dk, dv);
                assertClose("dq " + c, got[0], dq);
                assertClose("dk " + c, got[1], dk);
                assertClose("dv " + c, got[2], dv);
            });
    }

    @Test
    void bf16AndTransposedInputsAreReadThroughCopies() {
        Case c = new Case(1, 2, 2, 9, 3, 0, 17);
        Tensor q = queries(8, c).to(DType.BF16), v = cached(10, c).to(DType.BF16);
        Tensor k = Tensor.randn(9, 1f, c.batch(), c.kvHeads(), c.hd(), c.keys()).mT(); // last axis strided
        Tensor out = q.attention(k, v, 0.5f, c.offset());
        Tensor want = Tensor.zeros(q.shape());
        ReferenceBackend.instance().attention(q, k, v, 0.5f, c.offset(), want, null);
        assertClose("bf16 / transposed", out, want);
    }

    @Test
    void outputIsAHeadMajorViewOfTimeMajorMemory() {
        Case c = new Case(2, 1, 3, 4, 0, 0, 8);
        Tensor out = queries(11, c).attention(cached(12, c), cached(13, c), 1f, 0);
        // [B, H, T, hd] whose permute(0, 2, 1, 3) is contiguous: heads merge with a free reshape
        if (!out.permute(0, 2, 1, 3).isContiguous()) fail("attention output " + out + " is not time-major");
    }

    @Test
    void badShapesAreRejectedWithTheOpName() {
        Tensor q = Tensor.zeros(1, 3, 2, 4), k = Tensor.zeros(1, 2, 2, 4);
        ShapeException e = assertThrows(ShapeException.class, () -> q.attention(k, k, 1f, 0));
        if (!e.getMessage().startsWith("attention:")) fail(e.getMessage());
        assertThrows(ShapeException.class, () -> q.attention(Tensor.zeros(1, 3, 2, 5), Tensor.zeros(1, 3, 2, 5), 1f, 0));
        assertThrows(ShapeException.class, () -> q.attention(q, q, 1f, -1));
        assertThrows(ShapeException.class, () -> q.attention(q, q, 1f, 0, Tensor.zeros(1, 3, 3)));
    }

    static void assertClose(String what, Tensor got, Tensor want) {
        float[] g = got.toFloatArray(), w = want.toFloatArray();
        if (g.length != w.length) fail(what + ": " + g.length + " values, expected " + w.length);
        for (int i = 0; i < g.length; i++) {
            double tolerance = 2e-5 + 2e-4 * Math.abs(w[i]);
            if (!(Math.abs(g[i] - w[i]) <= tolerance))
                fail(what + ": element " + i + " is " + g[i] + ", reference " + w[i]);
        }
    }
}
