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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RMSNorm's fused op: forward and backward of every kernel (CPU, composed fallback, device on PoCL) against the
 * scalar reference, on strided x, BF16 weights, rows past one device work-group and enough rows to split over
 * threads. Its gradients against finite differences are in NnGradientProperties and RmsNormKernelGradientProperties.
 */
class RmsNormProperties {
    @Property(tries = 30)
    void everyKernelMatchesTheScalarReference(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 9) int rows,
                                              @ForAll @IntRange(min = 1, max = 300) int d, @ForAll boolean bf16Weight,
                                              @ForAll boolean weightGradient) {
        for (Backend b : backends()) checkKernels(b, seed, layout, new int[] {rows, d}, bf16Weight, weightGradient);
    }

    @Test
    void manyRowsSplitOverThreadsAgreeToo() {
        for (Backend b : backends()) checkKernels(b, 3, Layout.CONTIGUOUS, new int[] {2, 300, 257}, true, true);
    }

    @Test
    void mismatchedShapesAreRejectedWithTheShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> RmsNorm.forward(Tensor.zeros(2, 3), Tensor.ones(4), 1e-5f));
        assertTrue(e.getMessage().contains("rmsNorm") && e.getMessage().contains("[4]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(ShapeException.class, () -> RmsNorm.backward(Tensor.zeros(2, 3), Tensor.ones(3), 1e-5f, Tensor.zeros(3, 2), true));
    }

    private static Backend[] backends() {
        boolean openCl = "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
        return openCl ? new Backend[] {CpuBackend.instance(), ReferenceBackend.instance(), OpenClBackend.open(0)}
                : new Backend[] {CpuBackend.instance(), ReferenceBackend.instance()};
    }

    private static void checkKernels(Backend backend, long seed, Layout layout, int[] shape, boolean bf16Weight, boolean weightGradient) {
        float eps = 1e-5f;
        float[][] got = Backends.with(backend, () -> {
            Tensor[] in = inputs(seed, layout, shape, bf16Weight);
            Tensor[] grads = RmsNorm.backward(in[0], in[1], eps, in[2], weightGradient);
            return new float[][] {RmsNorm.forward(in[0], in[1], eps).toFloatArray(), grads[0].toFloatArray(),
                    weightGradient ? grads[1].toFloatArray() : null};
        });
        float[][] values = Backends.with(ReferenceBackend.instance(), () -> {
            Tensor[] in = inputs(seed, layout, shape, bf16Weight);
            return new float[][] {in[0].toFloatArray(), in[1].toFloatArray(), in[2].toFloatArray()};
        });
        float[][] grads = RmsNorm.referenceBackward(values[0], values[1], eps, values[2]);
        String what = backend.name() + " " + Arrays.toString(shape) + " " + layout + (bf16Weight ? " bf16 weight" : "");
        int rows = values[0].length / shape[shape.length - 1];
        assertClose(what + " out", RmsNorm.referenceForward(values[0], values[1], eps), got[0], 1e-6f);
        assertClose(what + " dx", grads[0], got[1], 1e-5f);
        if (weightGradient) assertClose(what + " dWeight", grads[1], got[2], 1e-6f * rows);
    }

    private static Tensor[] inputs(long seed, Layout layout, int[] shape, boolean bf16Weight) {
        var rng = new SplittableRandom(seed);
        Tensor x = Inputs.random(rng, layout, shape).mul(3f), weight = Inputs.random(rng, Layout.CONTIGUOUS, shape[shape.length - 1]);
        return new Tensor[] {x, bf16Weight ? weight.to(DType.BF16) : weight, Inputs.random(rng, Layout.CONTIGUOUS, shape)};
    }

    private static void assertClose(String what, float[] expected, float[] actual, float atol) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], atol + 1e-4f * Math.abs(expected[i]), what + " [" + i + "]");
    }
}
