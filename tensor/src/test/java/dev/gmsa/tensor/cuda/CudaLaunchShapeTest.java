package dev.gmsa.tensor.cuda;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenCL ranges (global = total work-items, local = work-group) become CUDA grids of blocks. */
class CudaLaunchShapeTest {
    @Test
    void theGridIsGlobalOverLocalInEachDimension() {
        int[][] sgemm = CudaRuntime.gridAndBlock(new long[] {3 * 16, 5 * 16, 7}, new long[] {16, 16, 1}, "sgemm");
        assertArrayEquals(new int[] {3, 5, 7}, sgemm[0]);
        assertArrayEquals(new int[] {16, 16, 1}, sgemm[1]);
        int[][] flat = CudaRuntime.gridAndBlock(new long[] {128 * 9}, new long[] {128}, "copy_view");
        assertArrayEquals(new int[] {9, 1, 1}, flat[0]);
        assertArrayEquals(new int[] {128, 1, 1}, flat[1]);
    }

    @Test
    void withoutALocalSizeTheBlockDividesTheGlobalSize() {
        int[][] shape = CudaRuntime.gridAndBlock(new long[] {96, 3}, null, "any");
        assertArrayEquals(new int[] {3, 3, 1}, shape[0]);
        assertArrayEquals(new int[] {32, 1, 1}, shape[1]);
        assertArrayEquals(new int[] {4, 1, 1}, CudaRuntime.gridAndBlock(new long[] {1024}, null, "any")[0]);
        assertArrayEquals(new int[] {1, 1, 1}, CudaRuntime.gridAndBlock(new long[] {7}, null, "any")[1]);
    }

    @Test
    void impossibleShapesAreRejectedWithTheKernelName() {
        Exception ragged = assertThrows(IllegalArgumentException.class,
                () -> CudaRuntime.gridAndBlock(new long[] {100}, new long[] {64}, "reduce_rows"));
        assertTrue(ragged.getMessage().contains("reduce_rows") && ragged.getMessage().contains("not a multiple"), ragged.getMessage());
        Exception tooBig = assertThrows(CudaException.class,
                () -> CudaRuntime.gridAndBlock(new long[] {64, 64}, new long[] {64, 64}, "sgemm"));
        assertTrue(tooBig.getMessage().contains("sgemm") && tooBig.getMessage().contains("threads per block"), tooBig.getMessage());
        Exception tooManyBatches = assertThrows(CudaException.class,
                () -> CudaRuntime.gridAndBlock(new long[] {64, 1, 70_000}, new long[] {64, 1, 1}, "sgemm"));
        assertTrue(tooManyBatches.getMessage().contains("grid limit"), tooManyBatches.getMessage());
    }
}
