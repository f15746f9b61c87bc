package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * Means over groups of {@code groupSize} consecutive positions along one axis (the last group may be shorter
 * and is averaged over its own length). x [outer, len, inner] becomes out [outer, groups, inner].
 */
final class PoolKernel {
    private PoolKernel() {}

    static void groupMeanPool(Tensor x, int axis, int groupSize, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "groupMeanPool");
        int base = out.offset();
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int outer = oli[0], len = oli[1], inner = oli[2], groups = out.size(axis);
        if (outer * inner * groups == 0) return;
        if (inner == 1) poolAlongRows(Blocks.of(x, axis), groupSize, groups, dst, base);
        else poolAcrossRows(Blocks.of(x, axis + 1), len, inner, groupSize, outer * groups, groups, dst, base);
    }

    /** Pooling the last axis: each group is a run inside one row. */
    private static void poolAlongRows(Blocks rows, int groupSize, int groups, float[] dst, int base) {
        int len = rows.length;
        StridedLoops.forRows(rows.count, len, 1, (s, e) -> {
            for (int r = s; r < e; r++) {
                Blocks.Row row = rows.row(r, 0, len, 0);
                float[] a = row.data();
                int o = row.offset();
                for (int g = 0; g < groups; g++) {
                    int from = g * groupSize, count = Math.min(groupSize, len - from);
                    dst[base + r * groups + g] = VectorRows.sum(a, o + from, count) / count;
                }
            }
        });
    }

    /** Pooling an inner axis: each output row sums whole inner rows of x (blocks numbered o * len + l). */
    private static void poolAcrossRows(Blocks blocks, int len, int inner, int groupSize, int outRows, int groups,
                                       float[] dst, int base) {
        StridedLoops.forTiles(outRows, inner, groupSize, (outRow, lo, hi) -> {
            int o = outRow / groups, from = (outRow % groups) * groupSize, to = Math.min(from + groupSize, len);
            int n = hi - lo, at = base + outRow * inner + lo;
            Arrays.fill(dst, at, at + n, 0f);
            for (int l = from; l < to; l++) {
                Blocks.Row row = blocks.row(o * len + l, lo, n, 0);
                float[] a = row.data();
                int off = row.offset();
                VectorRows.addInto(a, off, n, dst, at);
            }
            VectorRows.scale(dst, at, n, 1f / (to - from), dst, at);
        });
    }
}
