package dev.gmsa.autograd.optim;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * AdamW's fused step, every implementation against the scalar reference: the CPU kernel (vector lanes and the
 * scalar tail), the composed fallback (what a backend without a kernel runs) and the device kernel on PoCL.
 */
class AdamWStepTest {
    @Property(tries = 30)
    void everyKernelMatchesTheScalarReference(@ForAll @IntRange(min = 1, max = 300) int n, @ForAll @IntRange(min = 1, max = 1000) int step,
                                              @ForAll long seed) {
        check(CpuBackend.instance(), AdamWStep.OP.on(CpuBackend.instance()), n, step, seed);
        check(ReferenceBackend.instance(), AdamWStep.OP.composed(), n, step, seed);
        if (openClHere()) check(OpenClBackend.open(0), AdamWStep.OP.on(OpenClBackend.open(0)), n, step, seed);
    }

    @Test
    void eachBackendGetsItsRegisteredKernelAndTheRestTheComposedOne() {
        assertSame(AdamWStep.OP.composed(), AdamWStep.OP.on(ReferenceBackend.instance()));
        assertEquals(false, AdamWStep.OP.on(CpuBackend.instance()) == AdamWStep.OP.composed());
        if (openClHere()) assertEquals(false, AdamWStep.OP.on(OpenClBackend.open(0)) == AdamWStep.OP.composed());
    }

    @Test
    void largeInputsSplitOverThreadsAgreeToo() {
        check(CpuBackend.instance(), AdamWStep.OP.on(CpuBackend.instance()), 100_003, 1, 7);
    }

    private static boolean openClHere() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
    }

    /** Three steps from random state on {@code backend} with {@code kernel}, against {@link AdamWStep#reference}. */
    private static void check(Backend backend, AdamWStep.Kernel kernel, int n, int step, long seed) {
        float[][] state = randomState(n, seed); // p, g, m, v
        float[][] expected = new float[4][];
        for (int i = 0; i < 4; i++) expected[i] = state[i].clone();
        float[][] actual = Backends.with(backend, () -> {
            Tensor p = Tensor.of(state[0]), g = Tensor.of(state[1]), m = Tensor.of(state[2]), v = Tensor.of(state[3]);
            for (int s = step; s < step + 3; s++) kernel.step(p, g, m, v, hyper(s));
            return new float[][] {p.toFloatArray(), m.toFloatArray(), v.toFloatArray()};
        });
        for (int s = step; s < step + 3; s++) AdamWStep.reference(expected[0], expected[1], expected[2], expected[3], hyper(s));
        String where = backend.name() + " n=" + n + " step=" + step;
        assertClose(where + " param", expected[0], actual[0]);
        assertClose(where + " m", expected[2], actual[1]);
        assertClose(where + " v", expected[3], actual[2]);
    }

    private static AdamWStep.Hyper hyper(int step) {
        return AdamWStep.Hyper.of(1e-3f, 0.9f, 0.95f, 1e-8f, 0.1f, step);
    }

    private static float[][] randomState(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] s = new float[4][n];
        for (int i = 0; i < n; i++) {
            s[0][i] = (float) rng.nextGaussian();
            s[1][i] = (float) rng.nextGaussian();
            s[2][i] = (float) (0.1 * rng.nextGaussian());
            s[3][i] = (float) (0.01 * rng.nextDouble());
        }
        return s;
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-6f + 1e-5f * Math.abs(expected[i]), what + " [" + i + "]");
    }
}
