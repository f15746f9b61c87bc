package dev.gmsa.compress.model;

import dev.gmsa.autograd.Inputs;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Shape;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Group merging's kernels against its scalar reference: the CPU kernel, the composed fallback and the device
 * kernel on PoCL, over every axis of random shapes, strided views and BF16 inputs, groups longer than the axis.
 */
class GroupMeanPoolKernelTest {
    @Property(tries = 40)
    void everyKernelMatchesTheScalarReference(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 4) int rank,
                                              @ForAll @IntRange(min = 1, max = 9) int groupSize, @ForAll boolean bf16) {
        int[] shape = Inputs.shape(new SplittableRandom(seed), rank, 7);
        int axis = new SplittableRandom(seed + 1).nextInt(rank);
        check(CpuBackend.instance(), seed, layout, shape, axis, groupSize, bf16);
        check(ReferenceBackend.instance(), seed, layout, shape, axis, groupSize, bf16);
        if (openClHere()) check(OpenClBackend.open(0), seed, layout, shape, axis, groupSize, bf16);
    }

    @Test
    void largeInputsSplitOverThreadsAgreeToo() {
        check(CpuBackend.instance(), 3, Layout.CONTIGUOUS, new int[] {2, 301, 700}, 1, 4, false);
        check(CpuBackend.instance(), 4, Layout.TRANSPOSED, new int[] {513, 260}, 0, 8, false);
    }

    @Test
    void eachBackendGetsItsRegisteredKernelAndTheRestTheComposedOne() {
        assertSame(GroupMeanPool.OP.composed(), GroupMeanPool.OP.on(ReferenceBackend.instance()));
        assertNotSame(GroupMeanPool.OP.composed(), GroupMeanPool.OP.on(CpuBackend.instance()));
        if (openClHere()) assertNotSame(GroupMeanPool.OP.composed(), GroupMeanPool.OP.on(OpenClBackend.open(0)));
    }

    @Test
    void badArgumentsAreNamed() {
        ShapeException e = assertThrows(ShapeException.class, () -> GroupMeanPool.forward(Tensor.zeros(2, 3), 0, 0));
        assertEquals("groupMeanPool: group size 0 must be at least 1", e.getMessage());
        assertThrows(ShapeException.class, () -> GroupMeanPool.forward(Tensor.zeros(2, 3), 2, 1));
        assertArrayEquals(new int[] {2, 0, 4}, GroupMeanPool.forward(Tensor.zeros(2, 0, 4), 1, 3).shape());
    }

    private static boolean openClHere() {
        return "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
    }

    private static void check(Backend backend, long seed, Layout layout, int[] shape, int axis, int groupSize, boolean bf16) {
        float[] actual = Backends.with(backend, () -> {
            Tensor x = Inputs.random(new SplittableRandom(seed), layout, shape);
            return GroupMeanPool.forward(bf16 ? x.to(DType.BF16) : x, axis, groupSize).toFloatArray();
        });
        float[] values = Backends.with(ReferenceBackend.instance(), () -> {
            Tensor x = Inputs.random(new SplittableRandom(seed), layout, shape);
            return (bf16 ? x.to(DType.BF16) : x).toFloatArray();
        });
        int[] oli = Shape.aroundAxis(shape, axis);
        float[] expected = GroupMeanPool.reference(values, oli[0], oli[1], oli[2], groupSize);
        String what = backend.name() + " " + Arrays.toString(shape) + " axis " + axis + " group " + groupSize + " " + layout + (bf16 ? " bf16" : "");
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], 1e-6f + 1e-5f * Math.abs(expected[i]), what + " [" + i + "]");
    }
}
