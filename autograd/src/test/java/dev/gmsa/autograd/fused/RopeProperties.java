package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Inputs;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.UnaryOp;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rope's fused op: every kernel (CPU, composed fallback, device on PoCL) in both layouts and both directions against
 * the scalar reference, on x as attention sees it ([B, H, T, D], often a permuted view of [B, T, H, D], or narrowed),
 * odd position counts and BF16 (strided) tables; rotating back undoes a rotation. Its gradient against finite
 * differences is in NnGradientProperties.
 */
class RopeProperties {
    @Property(tries = 30)
    void everyKernelMatchesTheScalarReference(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 5) int heads,
                                              @ForAll @IntRange(min = 1, max = 33) int positions, @ForAll @IntRange(min = 1, max = 40) int halfDim,
                                              @ForAll boolean permuted, @ForAll boolean bf16Tables, @ForAll long seed) {
        int[] shape = {batch, heads, positions, 2 * halfDim};
        float[][] values = Backends.with(ReferenceBackend.instance(), () -> {
            Tensor[] in = inputs(seed, shape, permuted, bf16Tables);
            return new float[][] {in[0].toFloatArray(), in[1].toFloatArray(), in[2].toFloatArray()};
        });
        for (RopeLayout layout : RopeLayout.values())
            for (boolean inverse : new boolean[] {false, true}) {
                float[] expected = Rope.reference(values[0], shape[3], positions, values[1], values[2], layout, inverse);
                for (Backend b : backends()) {
                    String what = b.name() + " " + layout + (inverse ? " inverse" : "") + (permuted ? " permuted" : " narrowed")
                            + (bf16Tables ? " bf16 tables" : "");
                    float[][] got = Backends.with(b, () -> {
                        Tensor[] in = inputs(seed, shape, permuted, bf16Tables);
                        Tensor composed = Tensor.empty(b, DType.F32, shape);
                        Rope.ROTATE.composed().run(in[0], in[1], in[2], layout, inverse, composed);
                        return new float[][] {Rope.rotate(in[0], in[1], in[2], layout, inverse).toFloatArray(), composed.toFloatArray()};
                    });
                    assertClose(what, expected, got[0]);
                    assertClose(what + " composed", expected, got[1]);
                }
            }
    }

    @Test
    void rotatingBackUndoesARotation() {
        for (Backend b : backends())
            for (RopeLayout layout : RopeLayout.values()) {
                float[][] got = Backends.with(b, () -> {
                    Tensor[] in = inputs(7, new int[] {2, 3, 17, 10}, true, false);
                    Tensor back = Rope.rotate(Rope.rotate(in[0], in[1], in[2], layout, false), in[1], in[2], layout, true);
                    return new float[][] {in[0].toFloatArray(), back.toFloatArray()};
                });
                assertClose(b.name() + " " + layout + " round trip", got[0], got[1]);
            }
    }

    @Test
    void tablesThatDoNotFitAreRejectedWithTheShapes() {
        Tensor cos = Tensor.zeros(3, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> Rope.rotate(Tensor.zeros(1, 4, 4), cos, cos, RopeLayout.HALF_SPLIT, false));
        assertTrue(e.getMessage().contains("rope") && e.getMessage().contains("[1, 4, 4]") && e.getMessage().contains("[4, 2]"), e.getMessage());
        assertThrows(ShapeException.class, () -> Rope.rotate(Tensor.zeros(3, 5), Tensor.zeros(3, 2), Tensor.zeros(3, 2), RopeLayout.INTERLEAVED, false));
        assertThrows(ShapeException.class, () -> Rope.rotate(Tensor.zeros(6), Tensor.zeros(1, 3), Tensor.zeros(1, 3), RopeLayout.INTERLEAVED, false));
    }

    private static Backend[] backends() {
        boolean openCl = "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
        return openCl ? new Backend[] {CpuBackend.instance(), ReferenceBackend.instance(), OpenClBackend.open(0)}
                : new Backend[] {CpuBackend.instance(), ReferenceBackend.instance()};
    }

    /** {x [B, H, T, D], cos, sin [T, D/2]}: x permuted from [B, T, H, D] or narrowed from a wider row. */
    private static Tensor[] inputs(long seed, int[] shape, boolean permuted, boolean bf16Tables) {
        var rng = new SplittableRandom(seed);
        int b = shape[0], h = shape[1], t = shape[2], d = shape[3];
        Tensor x = permuted ? Inputs.random(rng, Layout.CONTIGUOUS, b, t, h, d).permute(0, 2, 1, 3) : Inputs.random(rng, Layout.NARROWED, shape);
        Tensor angles = Inputs.random(rng, Layout.CONTIGUOUS, t, d / 2).mul(3f);
        Tensor cos = angles.map(UnaryOp.COS), sin = angles.map(UnaryOp.SIN);
        return bf16Tables ? new Tensor[] {x, cos.to(DType.BF16), sin.to(DType.BF16).mT().contiguous().mT()} : new Tensor[] {x, cos, sin};
    }

    private static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-5f + 1e-5f * Math.abs(expected[i]), what + " [" + i + "]");
    }
}
