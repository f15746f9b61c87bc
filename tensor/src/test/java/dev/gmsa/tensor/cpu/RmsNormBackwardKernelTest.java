package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static dev.gmsa.tensor.cpu.AttentionKernelTest.assertClose;
import static dev.gmsa.tensor.cpu.GemmChecks.withThreads;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The fused RMSNorm backward (dx and dWeight) against the scalar reference, fast path and composed fallback. */
class RmsNormBackwardKernelTest {
    @Property(tries = 40)
    void contiguousRowsMatchTheReference(@ForAll @IntRange(min = 1, max = 300) int rows, @ForAll @IntRange(min = 1, max = 300) int d) {
        Tensor x = Tensor.randn(rows, 1f, rows, d), weight = Tensor.randn(d, 1f, d), dOut = Tensor.randn(5, 1f, rows, d);
        for (int threads : new int[] {1, 2}) withThreads(threads, () -> check(x, weight, dOut, true));
    }

    @Test
    void stridedInputsBf16WeightAndNoWeightGradient() {
        Tensor x = Tensor.randn(1, 1f, 2, 33, 17).transpose(1, 2), dOut = Tensor.randn(2, 1f, 2, 17, 33);
        Tensor weight = Tensor.randn(3, 1f, 33).to(DType.BF16);
        check(x, weight, dOut, true);
        check(x.contiguous(), weight, dOut, false);
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThrows(ShapeException.class, () -> Tensor.rmsNormBackward(Tensor.zeros(2, 3), Tensor.zeros(4), 1e-5f, Tensor.zeros(2, 3), true));
    }

    private static void check(Tensor x, Tensor weight, Tensor dOut, boolean weightGradient) {
        Tensor[] got = Tensor.rmsNormBackward(x, weight, 1e-5f, dOut, weightGradient);
        Tensor dx = Tensor.zeros(x.shape()), dw = Tensor.zeros(weight.shape());
        ReferenceBackend.instance().rmsNormBackward(x, weight, 1e-5f, dOut, dx, weightGradient ? dw : null);
        assertClose("dx", got[0], dx);
        if (weightGradient) assertClose("dWeight", got[1], dw);
    }
}
