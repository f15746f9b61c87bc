package dev.gmsa.autograd.fused;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fused attention: forward (out, logSumExp) and backward (dq, dk, dv) of every kernel — the CPU's on 1 and 2 threads,
 * the composed fallback, the device's on PoCL — against the scalar reference, with q as the model makes it (a
 * head-major view of [B, T, H, hd]) and k, v as the KV cache holds them (the first S positions of a longer buffer):
 * grouped heads, prefill and decode offsets, keys past the causal limit, odd head sizes, more keys and queries than
 * one device work-group, BF16 and transposed inputs. Gradients against finite differences: AttentionGradientProperties.
 */
class AttentionProperties {
    /** batch, kv heads, group, query rows T, causal offset, keys beyond offset + T (masked), head dim. */
    record Case(int batch, int kvHeads, int group, int t, int offset, int extraKeys, int hd) {
        int heads() { return kvHeads * group; }
        int keys() { return offset + t + extraKeys; }
        Attention.Dims dims() { return new Attention.Dims(batch, heads(), kvHeads, t, keys(), hd); }
    }

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(Arbitraries.of(1, 2), Arbitraries.of(1, 2, 3), Arbitraries.of(1, 2, 3), Arbitraries.of(1, 2, 5, 17, 70),
                Arbitraries.of(0, 1, 13, 64), Arbitraries.of(0, 0, 3), Arbitraries.of(1, 3, 4, 8, 12, 16, 17, 29, 48)).as(Case::new);
    }

    @Property(tries = 40)
    void everyKernelMatchesTheScalarReference(@ForAll("cases") Case c) {
        checkEveryKernel(c, 1);
    }

    @Test
    void headsPastOneWorkGroupAndManyKeysOrQueries() {
        checkEveryKernel(new Case(1, 1, 2, 3, 147, 0, 8), 2);    // decoding-like: 150 keys, blocks of 128 plus a tail
        checkEveryKernel(new Case(1, 2, 1, 140, 0, 0, 12), 3);   // training-like: 140 queries per key row in dk / dv
        checkEveryKernel(new Case(1, 1, 2, 5, 2, 1, 130), 4);    // a head past one work-group's 128 items
    }

    @Test
    void bf16AndTransposedInputsAreReadThroughCopies() {
        Case c = new Case(1, 2, 2, 9, 3, 0, 17);
        for (Backend b : backends()) {
            float[][] got = Backends.with(b, () -> {
                Tensor q = queries(8, c).to(DType.BF16), v = cached(10, c).to(DType.BF16);
                Tensor k = Tensor.of(values(9, c.batch() * c.kvHeads() * c.hd() * c.keys()), c.batch(), c.kvHeads(), c.hd(), c.keys()).mT();
                return new float[][] {Attention.forward(q, k, v, 0.5f, c.offset()).toFloatArray(), q.toFloatArray(), k.toFloatArray(), v.toFloatArray()};
            });
            float[] want = Attention.referenceForward(got[1], got[2], got[3], c.dims(), 0.5f, c.offset())[0];
            assertClose(b.name() + " bf16 / transposed", want, got[0]);
        }
    }

    @Test
    void outputIsAHeadMajorViewOfTimeMajorMemory() {
        Case c = new Case(2, 1, 3, 4, 0, 0, 8);
        Tensor out = Attention.forward(queries(11, c), cached(12, c), cached(13, c), 1f, 0);
        // [B, H, T, hd] whose permute(0, 2, 1, 3) is contiguous: heads merge with a free reshape
        if (!out.permute(0, 2, 1, 3).isContiguous()) fail("attention output " + out + " is not time-major");
    }

    @Test
    void badShapesAreRejectedWithTheOpName() {
        Tensor q = Tensor.zeros(1, 3, 2, 4), k = Tensor.zeros(1, 2, 2, 4);
        ShapeException e = assertThrows(ShapeException.class, () -> Attention.forward(q, k, k, 1f, 0));
        assertTrue(e.getMessage().startsWith("attention:") && e.getMessage().contains("[1, 2, 2, 4]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Attention.forward(q, Tensor.zeros(1, 3, 2, 5), Tensor.zeros(1, 3, 2, 5), 1f, 0));
        assertThrows(ShapeException.class, () -> Attention.forward(q, q, q, 1f, -1));
        assertThrows(ShapeException.class, () -> Attention.forward(q, q, q, 1f, 0, Tensor.zeros(1, 3, 3)));
        assertThrows(ShapeException.class, () -> Attention.backward(q, q, q, q, Tensor.zeros(1, 3, 3), q, 1f, 0));
    }

    private static Backend[] backends() {
        boolean openCl = "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
        return openCl ? new Backend[] {CpuBackend.instance(), ReferenceBackend.instance(), OpenClBackend.open(0)}
                : new Backend[] {CpuBackend.instance(), ReferenceBackend.instance()};
    }

    /** What one run gives: out, logSumExp, dq, dk, dv, as row-major values. */
    private static float[][] run(Case c, long seed, Function<Tensor[], Tensor[]> op) {
        Tensor q = queries(seed, c), k = cached(seed + 1, c).mul(2f), v = cached(seed + 2, c);
        Tensor dOut = Tensor.of(values(seed + 3, c.batch() * c.t() * c.heads() * c.hd()), c.batch(), c.t(), c.heads(), c.hd()).permute(0, 2, 1, 3);
        Tensor[] results = op.apply(new Tensor[] {q, k, v, dOut});
        float[][] out = new float[results.length][];
        for (int i = 0; i < results.length; i++) out[i] = results[i].toFloatArray();
        return out;
    }

    private static Tensor[] fused(Tensor[] in, float scale, int offset) {
        Tensor lse = Tensor.empty(in[0].backend(), DType.F32, in[0].size(0), in[0].size(1), in[0].size(2));
        Tensor out = Attention.forward(in[0], in[1], in[2], scale, offset, lse);
        Tensor[] g = Attention.backward(in[0], in[1], in[2], out, lse, in[3], scale, offset);
        return new Tensor[] {out, lse, g[0], g[1], g[2]};
    }

    private static Tensor[] composed(Tensor[] in, float scale, int offset) {
        Backend b = in[0].backend();
        Tensor out = Tensor.empty(b, DType.F32, in[0].shape()), lse = Tensor.empty(b, DType.F32, in[0].size(0), in[0].size(1), in[0].size(2));
        Attention.FORWARD.composed().run(in[0], in[1], in[2], scale, offset, out, lse);
        Tensor dq = Tensor.empty(b, DType.F32, in[0].shape()), dk = Tensor.empty(b, DType.F32, in[1].shape()), dv = Tensor.empty(b, DType.F32, in[2].shape());
        Attention.BACKWARD.composed().run(in[0], in[1], in[2], out, lse, in[3], scale, offset, dq, dk, dv);
        return new Tensor[] {out, lse, dq, dk, dv};
    }

    private static void checkEveryKernel(Case c, long seed) {
        float scale = (float) (1 / Math.sqrt(c.hd()));
        float[][] in = run(c, seed, x -> x); // the inputs' values, for the reference
        float[][] want = new float[5][];
        float[][] forward = Attention.referenceForward(in[0], in[1], in[2], c.dims(), scale, c.offset());
        float[][] backward = Attention.referenceBackward(in[0], in[1], in[2], in[3], c.dims(), scale, c.offset());
        want[0] = forward[0];
        want[1] = forward[1];
        System.arraycopy(backward, 0, want, 2, 3);
        List<String> names = new ArrayList<>();
        List<float[][]> runs = new ArrayList<>();
        for (Backend b : backends()) {
            if (b instanceof CpuBackend) {
                for (int threads : new int[] {1, 2}) {
                    int old = Parallel.threads();
                    Parallel.setThreads(threads);
                    try {
                        runs.add(Backends.with(b, () -> run(c, seed, x -> fused(x, scale, c.offset()))));
                    } finally {
                        Parallel.setThreads(old);
                    }
                    names.add(b.name() + " on " + threads + " threads");
                }
            } else {
                runs.add(Backends.with(b, () -> run(c, seed, x -> fused(x, scale, c.offset()))));
                names.add(b.name());
            }
            runs.add(Backends.with(b, () -> run(c, seed, x -> composed(x, scale, c.offset()))));
            names.add(b.name() + " composed");
        }
        String[] parts = {"out", "logSumExp", "dq", "dk", "dv"};
        for (int r = 0; r < runs.size(); r++)
            for (int p = 0; p < parts.length; p++) assertClose(names.get(r) + " " + parts[p] + " " + c, want[p], runs.get(r)[p]);
    }

    /** q as the model makes it: a head-major view of [B, T, H, hd] (T axis strided). */
    private static Tensor queries(long seed, Case c) {
        return Tensor.of(values(seed, c.batch() * c.t() * c.heads() * c.hd()), c.batch(), c.t(), c.heads(), c.hd()).permute(0, 2, 1, 3);
    }

    /** k or v as the KV cache holds them: the first S positions of a longer [B, KV, capacity, hd] buffer. */
    private static Tensor cached(long seed, Case c) {
        int capacity = c.keys() + 4;
        return Tensor.of(values(seed, c.batch() * c.kvHeads() * capacity * c.hd()), c.batch(), c.kvHeads(), capacity, c.hd()).narrow(2, 0, c.keys());
    }

    private static float[] values(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return v;
    }

    private static void assertClose(String what, float[] want, float[] got) {
        if (got.length != want.length) fail(what + ": " + got.length + " values, expected " + want.length);
        for (int i = 0; i < want.length; i++)
            if (!(Math.abs(got[i] - want[i]) <= 5e-5 + 2e-4 * Math.abs(want[i])))
                fail(what + ": element " + i + " is " + got[i] + ", reference " + want[i]);
    }
}
