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

/** The fused SwiGLU gate and its backward against the scalar reference (fast path and the composed fallback). */
class SwiGluKernelTest {
    @Property(tries = 40)
    void contiguousRowsMatchTheReference(@ForAll @IntRange(min = 1, max = 40) int rows, @ForAll @IntRange(min = 1, max = 1100) int cols) {
        Tensor gate = Tensor.randn(rows, 3f, rows, cols), up = Tensor.randn(cols, 1f, rows, cols), dOut = Tensor.randn(7, 1f, rows, cols);
        for (int threads : new int[] {1, 2}) withThreads(threads, () -> check(gate, up, dOut));
    }

    @Test
    void stridedAndBf16InputsTakeTheComposedPath() {
        Tensor gate = Tensor.randn(1, 2f, 33, 17).mT(), up = Tensor.randn(2, 1f, 17, 40).narrow(1, 3, 33);
        Tensor dOut = Tensor.randn(3, 1f, 17, 33).to(DType.BF16);
        check(gate, up, dOut);
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).swiglu(Tensor.zeros(3, 2)));
        assertThrows(ShapeException.class, () -> Tensor.swigluBackward(Tensor.zeros(2, 3), Tensor.zeros(2, 3), Tensor.zeros(2)));
    }

    private static void check(Tensor gate, Tensor up, Tensor dOut) {
        Tensor want = Tensor.zeros(gate.shape());
        ReferenceBackend.instance().swiglu(gate, up, want);
        assertClose("swiglu", gate.swiglu(up), want);
        Tensor[] got = Tensor.swigluBackward(gate, up, dOut);
        Tensor dGate = Tensor.zeros(gate.shape()), dUp = Tensor.zeros(gate.shape());
        ReferenceBackend.instance().swigluBackward(gate, up, dOut, dGate, dUp);
        assertClose("dGate", got[0], dGate);
        assertClose("dUp", got[1], dUp);
    }
}
