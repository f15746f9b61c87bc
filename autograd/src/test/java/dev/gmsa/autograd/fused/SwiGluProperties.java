package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Inputs;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * SwiGLU's fused op: every kernel (CPU, composed fallback, device on PoCL) against the scalar reference on views
 * and BF16 inputs, and the autograd rule against finite differences.
 */
class SwiGluProperties {
    @Property(tries = 40)
    void gradientsOfGateAndUpMatchFiniteDifferences(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> checkGradients("swiglu (reference backend: composed)", seed, layout, rank));
        checkGradients("swiglu (cpu kernel)", seed, layout, rank);
    }

    /** Inputs are made inside the backend context so that every tensor of the check lives on that backend. */
    private static void checkGradients(String what, long seed, Layout layout, int rank) {
        var rng = new SplittableRandom(seed);
        int[] shape = Inputs.shape(rng, rank, 6);
        check(what, in -> SwiGlu.apply(in.get(0), in.get(1)), Inputs.random(rng, layout, shape), Inputs.random(rng, Layout.CONTIGUOUS, shape));
    }

    @Property(tries = 30)
    void everyKernelMatchesTheScalarReference(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank,
                                              @ForAll boolean bf16Up) {
        for (Backend b : backends()) checkKernels(b, seed, layout, Inputs.shape(new SplittableRandom(seed), rank, 40), bf16Up);
    }

    @Test
    void longInputsSplitOverThreadsAndVectorTailsAgree() {
        for (Backend b : backends()) checkKernels(b, 5, Layout.CONTIGUOUS, new int[] {3, 40_007}, false);
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThrows(ShapeException.class, () -> SwiGlu.forward(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertThrows(ShapeException.class, () -> SwiGlu.backward(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2)));
    }

    private static Backend[] backends() {
        boolean openCl = "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
        return openCl ? new Backend[] {CpuBackend.instance(), ReferenceBackend.instance(), OpenClBackend.open(0)}
                : new Backend[] {CpuBackend.instance(), ReferenceBackend.instance()};
    }

    private static void checkKernels(Backend backend, long seed, Layout layout, int[] shape, boolean bf16Up) {
        float[][] got = Backends.with(backend, () -> {
            Tensor[] in = inputs(seed, layout, shape, bf16Up);
            Tensor[] grads = SwiGlu.backward(in[0], in[1], in[2]);
            return new float[][] {SwiGlu.forward(in[0], in[1]).toFloatArray(), grads[0].toFloatArray(), grads[1].toFloatArray()};
        });
        float[][] values = Backends.with(ReferenceBackend.instance(), () -> {
            Tensor[] in = inputs(seed, layout, shape, bf16Up);
            return new float[][] {in[0].toFloatArray(), in[1].toFloatArray(), in[2].toFloatArray()};
        });
        float[][] grads = SwiGlu.referenceBackward(values[0], values[1], values[2]);
        String what = backend.name() + " " + Arrays.toString(shape) + " " + layout + (bf16Up ? " bf16 up" : "");
        assertClose(what + " out", SwiGlu.referenceForward(values[0], values[1]), got[0]);
        assertClose(what + " dGate", grads[0], got[1]);
        assertClose(what + " dUp", grads[1], got[2]);
    }

    private static Tensor[] inputs(long seed, Layout layout, int[] shape, boolean bf16Up) {
        var rng = new SplittableRandom(seed);
        Tensor gate = Inputs.random(rng, layout, shape).mul(3f), up = Inputs.random(rng, Layout.CONTIGUOUS, shape);
        return new Tensor[] {gate, bf16Up ? up.to(DType.BF16) : up, Inputs.random(rng, Layout.CONTIGUOUS, shape)};
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-6f + 1e-5f * Math.abs(expected[i]), what + " [" + i + "]");
    }
}
