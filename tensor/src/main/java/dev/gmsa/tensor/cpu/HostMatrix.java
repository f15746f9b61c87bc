package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One [rows, cols] matrix of a batched host view: storage, offset and the two strides (in elements).
 * The matrix kernels read through it, widening BF16/F16/F32-segment elements to float as they go.
 */
record HostMatrix(DType dtype, float[] floats, MemorySegment segment, int offset, int rows, int cols, int rowStride, int colStride) {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    /** The matrix number {@code batchIndex} (row-major over the batch axes) of a [..., R, C] view. */
    static HostMatrix of(Tensor t, int batchIndex) {
        CpuStorage s = Strided.storage(t);
        int[] shape = t.shape(), strides = t.strides();
        int rank = shape.length, offset = t.offset();
        for (int d = rank - 3; d >= 0; d--) {
            offset += (batchIndex % shape[d]) * strides[d];
            batchIndex /= shape[d];
        }
        return new HostMatrix(s.dtype(), s.floats, s.segment, offset,
                shape[rank - 2], shape[rank - 1], strides[rank - 2], strides[rank - 1]);
    }

    /** Storage position of element (r, c). */
    int position(int r, int c) {
        return offset + r * rowStride + c * colStride;
    }

    /** True when walking along a row (over columns) is the cheaper direction in memory. */
    boolean rowsAreRuns() {
        return Math.abs(colStride) <= Math.abs(rowStride);
    }

    /**
     * Reads {@code len} elements starting at (r, c), walking along the row (over columns) or down the column,
     * into dst[dstOffset + i * dstStride] as floats.
     */
    void readRun(int r, int c, boolean alongRow, int len, float[] dst, int dstOffset, int dstStride) {
        int pos = position(r, c), step = alongRow ? colStride : rowStride;
        if (floats != null) {
            if (step == 1 && dstStride == 1) System.arraycopy(floats, pos, dst, dstOffset, len);
            else for (int i = 0; i < len; i++) dst[dstOffset + i * dstStride] = floats[pos + i * step];
            return;
        }
        switch (dtype) {
            case F32 -> { for (int i = 0; i < len; i++) dst[dstOffset + i * dstStride] = segment.getAtIndex(F32, pos + (long) i * step); }
            case BF16 -> { for (int i = 0; i < len; i++) dst[dstOffset + i * dstStride] = Float.intBitsToFloat(segment.getAtIndex(U16, pos + (long) i * step) << 16); }
            case F16 -> { for (int i = 0; i < len; i++) dst[dstOffset + i * dstStride] = Float.float16ToFloat(segment.getAtIndex(U16, pos + (long) i * step)); }
            case I32 -> throw new IllegalArgumentException("matmul: I32 operands are not supported");
        }
    }
}
