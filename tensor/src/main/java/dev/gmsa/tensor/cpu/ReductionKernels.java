package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ReduceOp;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * Reductions over one axis (SUM, MEAN, MAX) and argmax. With x split around the axis as [outer, len, inner]:
 * when inner is 1 each output is a vector reduction along one row; otherwise whole inner rows are
 * accumulated into the output, one per step along the axis. Sums are in float (one partial per lane).
 */
final class ReductionKernels {
    private ReductionKernels() {}

    /** out [outer, 1, inner] = op over axis of x [outer, len, inner]. */
    static void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "reduce");
        int base = out.offset();
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int outer = oli[0], len = oli[1], inner = oli[2];
        if (outer * inner == 0) return;
        if (len == 0) { // the reference's empty fold: sum 0, mean 0/0, max -infinity
            Arrays.fill(dst, base, base + outer * inner, op == ReduceOp.SUM ? 0f : op == ReduceOp.MEAN ? Float.NaN : Float.NEGATIVE_INFINITY);
            return;
        }
        if (inner == 1) reduceAlongRows(op, Blocks.of(x, axis), dst, base);
        else reduceAcrossRows(op, Blocks.of(x, axis + 1), outer, len, inner, dst, base);
    }

    private static void reduceAlongRows(ReduceOp op, Blocks rows, float[] dst, int base) {
        int len = rows.length;
        StridedLoops.forRows(rows.count, len, 1, (s, e) -> {
            for (int r = s; r < e; r++) {
                Blocks.Row row = rows.row(r, 0, len, 0);
                float[] a = row.data();
                int o = row.offset();
                float v = op == ReduceOp.MAX ? VectorRows.max(a, o, len) : VectorRows.sum(a, o, len);
                dst[base + r] = op == ReduceOp.MEAN ? v / len : v;
            }
        });
    }

    /** blocks are x's inner rows, numbered o * len + l. */
    private static void reduceAcrossRows(ReduceOp op, Blocks blocks, int outer, int len, int inner, float[] dst, int base) {
        StridedLoops.forTiles(outer, inner, len, (o, lo, hi) -> {
            int n = hi - lo, at = base + o * inner + lo;
            Arrays.fill(dst, at, at + n, op == ReduceOp.MAX ? Float.NEGATIVE_INFINITY : 0f);
            for (int l = 0; l < len; l++) {
                Blocks.Row row = blocks.row(o * len + l, lo, n, 0);
                float[] a = row.data();
                int off = row.offset();
                if (op == ReduceOp.MAX) VectorRows.maxInto(a, off, n, dst, at);
                else VectorRows.addInto(a, off, n, dst, at);
            }
            if (op == ReduceOp.MEAN) VectorRows.scale(dst, at, n, 1f / len, dst, at);
        });
    }

    /** out (I32) [outer, 1, inner] = index of the first maximum along axis (the first NaN wins). */
    static void argmax(Tensor x, int axis, Tensor out) {
        int[] dst = Strided.storage(out).ints;
        if (dst == null || !out.isContiguous())
            throw new IllegalArgumentException("argmax: output must be a contiguous I32 host tensor, got " + out);
        int base = out.offset();
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int outer = oli[0], len = oli[1], inner = oli[2];
        if (outer * inner * len == 0) return;
        if (inner == 1) {
            Blocks rows = Blocks.of(x, axis);
            StridedLoops.forRows(outer, len, 1, (s, e) -> {
                for (int r = s; r < e; r++) {
                    Blocks.Row row = rows.row(r, 0, len, 0);
                    float[] a = row.data();
                    int o = row.offset();
                    dst[base + r] = VectorRows.argmax(a, o, len);
                }
            });
            return;
        }
        Blocks blocks = Blocks.of(x, axis + 1);
        StridedLoops.forTiles(outer, inner, len, (o, lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                int best = 0;
                float bestValue = blocks.storage.get(blocks.position(blocks.start(o * len), c));
                for (int l = 1; l < len; l++) {
                    float v = blocks.storage.get(blocks.position(blocks.start(o * len + l), c));
                    if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) { best = l; bestValue = v; }
                }
                dst[base + o * inner + c] = best;
            }
        });
    }
}
