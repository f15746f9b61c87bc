package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * Moving elements between views: copy (with dtype conversion), fill, and download to the host. Contiguous
 * F32 copies are one arraycopy; anything else goes row by row over merged axes, through {@link Blocks}
 * (which widens and narrows BF16/F16 on the way).
 */
final class CopyKernels {
    private CopyKernels() {}

    /** dst[i] = src[i] for same-shaped views of any dtypes. */
    static void copy(Tensor src, Tensor dst) {
        int n = dst.numel();
        if (n == 0) return;
        CpuStorage s = Strided.storage(src), d = Strided.storage(dst);
        if (src.isContiguous() && dst.isContiguous()) {
            if (s.floats != null && d.floats != null) {
                System.arraycopy(s.floats, src.offset(), d.floats, dst.offset(), n);
                return;
            }
            if (s.ints != null && d.ints != null) {
                System.arraycopy(s.ints, src.offset(), d.ints, dst.offset(), n);
                return;
            }
        }
        Tensor[] views = StridedLoops.coalesce(src, dst);
        Blocks from = Blocks.rows(views[0]), to = Blocks.rows(views[1]);
        if (src.dtype() == DType.I32 && dst.dtype() == DType.I32) {
            copyInts(from, to); // through float would lose integers above 2^24
            return;
        }
        StridedLoops.forTiles(to.count, to.length, 1, (row, lo, hi) -> copyRow(from, to, row, lo, hi));
    }

    private static void copyRow(Blocks from, Blocks to, int row, int lo, int hi) {
        int srcStart = from.start(row), dstStart = to.start(row);
        float[] dstArray = to.array(), srcArray = from.array();
        if (dstArray != null) from.read(srcStart, lo, hi - lo, dstArray, dstStart + lo);
        else if (srcArray != null) to.write(dstStart, lo, hi - lo, srcArray, srcStart + lo);
        else {
            float[] buffer = StridedLoops.scratch(0, hi - lo);
            from.read(srcStart, lo, hi - lo, buffer, 0);
            to.write(dstStart, lo, hi - lo, buffer, 0);
        }
    }

    private static void copyInts(Blocks from, Blocks to) {
        for (int r = 0; r < to.count; r++) {
            int s = from.start(r), d = to.start(r);
            for (int i = 0; i < to.length; i++)
                to.storage.setInt(to.position(d, i), from.storage.getInt(from.position(s, i)));
        }
    }

    static void fill(Tensor dst, float value) {
        if (dst.numel() == 0) return;
        Blocks rows = Blocks.rows(StridedLoops.coalesce(dst)[0]);
        float[] array = rows.array();
        StridedLoops.forTiles(rows.count, rows.length, 1, (row, lo, hi) -> {
            int start = rows.start(row);
            if (array != null) Arrays.fill(array, start + lo, start + hi, value);
            else for (int i = lo; i < hi; i++) rows.storage.set(rows.position(start, i), value);
        });
    }

    static float[] download(Tensor t) {
        int n = t.numel();
        float[] out = new float[n];
        if (n == 0) return out;
        CpuStorage s = Strided.storage(t);
        if (s.floats != null && t.isContiguous()) {
            System.arraycopy(s.floats, t.offset(), out, 0, n);
            return out;
        }
        Blocks rows = Blocks.rows(StridedLoops.coalesce(t)[0]);
        StridedLoops.forTiles(rows.count, rows.length, 1,
                (row, lo, hi) -> rows.read(rows.start(row), lo, hi - lo, out, row * rows.length + lo));
        return out;
    }

    static int[] downloadInts(Tensor t) {
        int n = t.numel();
        int[] out = new int[n];
        if (n == 0) return out;
        CpuStorage s = Strided.storage(t);
        if (s.ints != null && t.isContiguous()) {
            System.arraycopy(s.ints, t.offset(), out, 0, n);
            return out;
        }
        Blocks rows = Blocks.rows(StridedLoops.coalesce(t)[0]);
        for (int r = 0; r < rows.count; r++) {
            int start = rows.start(r);
            for (int i = 0; i < rows.length; i++) out[r * rows.length + i] = s.getInt(rows.position(start, i));
        }
        return out;
    }
}
