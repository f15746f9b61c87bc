package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * A view seen as equal blocks: the elements over its trailing axes (from {@code firstInnerAxis} on), one
 * block per index of the leading axes. Kernels work block by block: a contiguous heap F32 block is used in
 * place ({@link #array()} + {@link #start}), any other block (strided, BF16/F16/I32, memory-mapped) is read
 * into a float row, widening the dtype, and written back the same way.
 */
public final class Blocks {
    /** {@link #step} when the inner axes do not merge into one stride; positions then come from a table. */
    static final int IRREGULAR = Integer.MIN_VALUE;

    final CpuStorage storage;
    /** Number of blocks (product of the leading axes). */
    final int count;
    /** Elements per block (product of the inner axes). */
    final int length;
    /** Storage step between a block's elements: 1 contiguous, 0 broadcast, else strided or {@link #IRREGULAR}. */
    final int step;
    private final int[] innerPositions; // relative positions of a block's elements when IRREGULAR
    private final int[] leadShape, leadStrides;
    private final int offset;

    Blocks(CpuStorage storage, int[] shape, int[] strides, int offset, int firstInnerAxis) {
        this.storage = storage;
        this.offset = offset;
        this.leadShape = Arrays.copyOf(shape, firstInnerAxis);
        this.leadStrides = Arrays.copyOf(strides, firstInnerAxis);
        this.count = product(shape, 0, firstInnerAxis);
        this.length = product(shape, firstInnerAxis, shape.length);
        int merged = mergedStride(shape, strides, firstInnerAxis);
        this.step = merged;
        this.innerPositions = merged == IRREGULAR ? relativePositions(shape, strides, firstInnerAxis) : null;
    }

    static Blocks of(Tensor t, int firstInnerAxis) {
        return new Blocks(Strided.storage(t), t.shape(), t.strides(), t.offset(), firstInnerAxis);
    }

    /** Rows of the last axis. */
    public static Blocks rows(Tensor t) {
        return of(t, t.rank() == 0 ? 0 : t.rank() - 1);
    }

    /** Number of blocks (for fused kernels outside this package). */
    public int blockCount() {
        return count;
    }

    /** Storage position of the first element of block {@code block}. */
    int start(int block) {
        int pos = offset;
        for (int d = leadShape.length - 1; d >= 0; d--) {
            int size = leadShape[d];
            pos += (block % size) * leadStrides[d];
            block /= size;
        }
        return pos;
    }

    /** Storage position of element {@code i} of the block starting at {@code start}. */
    int position(int start, int i) {
        return step == IRREGULAR ? start + innerPositions[i] : start + i * step;
    }

    /** The heap array when blocks are contiguous F32 (read and written in place), else null. */
    float[] array() {
        return storage.floats != null && step == 1 ? storage.floats : null;
    }

    boolean isBroadcast() {
        return step == 0;
    }

    /** Floats at data[offset ..]: a block's elements in place, or a widened copy in a scratch row. */
    public record Row(float[] data, int offset) {}

    /** Elements [from, from + n) of block {@code block}: in place when contiguous F32, else read into scratch {@code slot}. */
    public Row row(int block, int from, int n, int slot) {
        int start = start(block);
        float[] a = array();
        if (a != null) return new Row(a, start + from);
        float[] buffer = StridedLoops.scratch(slot, n);
        read(start, from, n, buffer, 0);
        return new Row(buffer, 0);
    }

    /** dest[destOff + k] = element (from + k) of the block at {@code start}, widened to float, for k < n. */
    void read(int start, int from, int n, float[] dest, int destOff) {
        if (step == IRREGULAR) {
            for (int k = 0; k < n; k++) dest[destOff + k] = storage.get(start + innerPositions[from + k]);
            return;
        }
        int first = start + from * step;
        if (storage.floats != null) {
            if (step == 1) System.arraycopy(storage.floats, first, dest, destOff, n);
            else for (int k = 0; k < n; k++) dest[destOff + k] = storage.floats[first + k * step];
        } else if (step == 1 && storage.segment != null && storage.dtype() != DType.I32) {
            DTypeConversions.widen(storage.segment, storage.dtype(), first, n, dest, destOff);
        } else {
            for (int k = 0; k < n; k++) dest[destOff + k] = storage.get(first + k * step);
        }
    }

    /** Element (from + k) of the block at {@code start} = src[srcOff + k], narrowed to the storage dtype. */
    void write(int start, int from, int n, float[] src, int srcOff) {
        if (step == IRREGULAR) {
            for (int k = 0; k < n; k++) storage.set(start + innerPositions[from + k], src[srcOff + k]);
            return;
        }
        int first = start + from * step;
        if (storage.floats != null) {
            if (step == 1) System.arraycopy(src, srcOff, storage.floats, first, n);
            else for (int k = 0; k < n; k++) storage.floats[first + k * step] = src[srcOff + k];
        } else if (step == 1 && storage.segment != null && storage.dtype() != DType.I32) {
            DTypeConversions.narrow(src, srcOff, n, storage.segment, storage.dtype(), first);
        } else {
            for (int k = 0; k < n; k++) storage.set(first + k * step, src[srcOff + k]);
        }
    }

    private static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int d = from; d < to; d++) p *= shape[d];
        return p;
    }

    /** The single stride the inner axes walk with, ignoring size-1 axes, or IRREGULAR. */
    private static int mergedStride(int[] shape, int[] strides, int from) {
        int stride = 1;
        boolean any = false;
        for (int d = shape.length - 1; d >= from; d--) {
            if (shape[d] == 1) continue;
            if (!any) {
                stride = strides[d];
                any = true;
                continue;
            }
            // axis d continues the run only when one step of it jumps over everything inside it
            int inside = product(shape, d + 1, shape.length);
            if ((long) strides[d] != (long) stride * inside) return IRREGULAR;
        }
        return stride;
    }

    private static int[] relativePositions(int[] shape, int[] strides, int from) {
        int[] innerShape = Arrays.copyOfRange(shape, from, shape.length);
        int[] innerStrides = Arrays.copyOfRange(strides, from, strides.length);
        int n = product(innerShape, 0, innerShape.length);
        int[] out = new int[n];
        int[] index = new int[innerShape.length];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            out[i] = pos;
            for (int d = innerShape.length - 1; d >= 0; d--) {
                index[d]++;
                pos += innerStrides[d];
                if (index[d] < innerShape[d]) break;
                pos -= innerStrides[d] * innerShape[d];
                index[d] = 0;
            }
        }
        return out;
    }
}
