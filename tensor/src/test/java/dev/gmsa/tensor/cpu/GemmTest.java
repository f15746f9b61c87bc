package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.junit.jupiter.api.Test;

import static dev.gmsa.tensor.cpu.GemmChecks.checkAgainstReference;
import static dev.gmsa.tensor.cpu.GemmChecks.narrowed;
import static dev.gmsa.tensor.cpu.GemmChecks.operand;
import static dev.gmsa.tensor.cpu.GemmChecks.withThreads;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked matmul against the scalar reference on shapes, layouts and dtypes that hit every edge of the tiling. */
class GemmTest {
    @Provide
    Arbitrary<Integer> sizes() {
        // tile edges: MR = 6 or 12, NR = 2 vectors (16 on AVX2, 32 on AVX-512), plus vector tails and size 1
        return Arbitraries.of(1, 2, 3, 5, 11, 12, 13, 17, 31, 33, 47, 65);
    }

    @Provide
    Arbitrary<DType> floatingTypes() {
        return Arbitraries.of(DType.F32, DType.BF16, DType.F16);
    }

    @Property(tries = 60)
    void anyLayoutAndDtypeMatchesTheReference(@ForAll("sizes") int m, @ForAll("sizes") int k, @ForAll("sizes") int n,
                                              @ForAll boolean transposeA, @ForAll boolean transposeB,
                                              @ForAll("floatingTypes") DType aType, @ForAll("floatingTypes") DType bType) {
        Tensor a = operand(m * 31L + k, aType, transposeA, m, k);
        Tensor b = operand(k * 17L + n, bType, transposeB, k, n);
        checkAgainstReference(a, b);
    }

    @Property(tries = 20)
    void narrowedViewsWithOffsetsMatchTheReference(@ForAll("sizes") int m, @ForAll("sizes") int k, @ForAll("sizes") int n,
                                                   @ForAll("floatingTypes") DType bType) {
        checkAgainstReference(narrowed(1, DType.F32, m, k), narrowed(2, bType, k, n));
    }

    @Test
    void blocksDeeperThanKcAndTallerThanMcAccumulateOnTwoThreads() {
        // K > KC_MAX crosses a packed-block boundary (the second block adds to C); M = 101 > MC gives several row blocks
        int deep = Gemm.KC_MAX + 53;
        withThreads(2, () -> {
            checkAgainstReference(operand(1, DType.F32, false, 101, deep), operand(2, DType.F32, false, deep, 37));
            checkAgainstReference(operand(3, DType.F32, true, 13, deep), operand(4, DType.BF16, true, deep, 45));
            checkAgainstReference(operand(5, DType.F32, false, 129, 300), operand(6, DType.F16, false, 300, 67));
        });
    }

    @Test
    void widerThanNcSpansSeveralPackedBlocks() {
        int wide = Gemm.NC + 37;
        withThreads(2, () -> checkAgainstReference(operand(5, DType.F32, false, 13, 3), operand(6, DType.F32, false, 3, wide)));
    }

    @Test
    void fewRowsAndManyColumnsSplitTheColumnsOverThreads() {
        withThreads(2, () -> checkAgainstReference(operand(7, DType.F32, false, 9, 70), operand(8, DType.F32, false, 70, 1000)));
    }

    @Test
    void depthOneIsAnOuterProduct() {
        checkAgainstReference(operand(9, DType.F32, false, 33, 1), operand(10, DType.F32, false, 1, 47));
    }

    @Test
    void depthZeroGivesZeros() {
        Tensor out = Tensor.full(7f, 3, 4);
        Gemm.matmul(Tensor.zeros(3, 0), Tensor.zeros(0, 4), out);
        assertArrayEquals(new float[12], out.toFloatArray());
    }

    @Test
    void batchBroadcastWithStrideZeroMatchesTheReference() {
        // b [K, N] shared by every item of a [2, 3, M, K]: its batch axes have stride 0
        Tensor a = Tensor.randn(11, 1f, 2, 3, 13, 20);
        Tensor b = Tensor.randn(12, 1f, 20, 35).expand(2, 3, 20, 35);
        checkAgainstReference(a, b);
        // and the other way round, with a transposed BF16 right operand
        Tensor a2 = Tensor.randn(13, 1f, 5, 20).expand(4, 5, 20);
        Tensor b2 = Tensor.randn(14, 1f, 4, 17, 20).to(DType.BF16).mT();
        checkAgainstReference(a2, b2);
    }

    @Test
    void manySmallBatchItemsRunInParallel() {
        // attention scores: [B*H, T, hd] x [B*H, hd, T], many items each below the per-item threading size
        withThreads(2, () -> {
            Tensor q = Tensor.randn(15, 1f, 24, 33, 16);
            Tensor k = Tensor.randn(16, 1f, 24, 33, 16).mT();
            checkAgainstReference(q, k);
        });
    }

    @Test
    void publicMatmulUsesTheSameSemantics() {
        Tensor a = Tensor.randn(17, 1f, 7, 9), w = Tensor.randn(18, 1f, 5, 9).to(DType.BF16);
        Tensor viaTensor = a.matmul(w.mT());
        Tensor expected = Tensor.empty(DType.F32, 7, 5);
        ReferenceBackend.instance().matmul(a, w.mT(), expected);
        assertTrue(viaTensor.allClose(expected, 1e-4f, 1e-4f));
    }

    @Test
    void mismatchedShapesAreRejectedWithTheShapes() {
        ShapeException e = assertThrows(ShapeException.class,
                () -> Gemm.matmul(Tensor.zeros(3, 4), Tensor.zeros(5, 6), Tensor.zeros(3, 6)));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 6]"), e.getMessage());
    }
}
