package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;

/**
 * Index gathers along one axis and their backward. With x split around the axis as [outer, len, inner],
 * indexSelect copies whole inner blocks (embedding rows when axis is 0), widening BF16/F16 tables on the
 * way; indexAdd adds them back, accumulating repeated ids in order.
 */
final class GatherKernels {
    private GatherKernels() {}

    /** out [outer, count, inner] = x [outer, len, inner] at ids [count] along axis. */
    static void indexSelect(Tensor x, int axis, Tensor ids, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "indexSelect");
        int base = out.offset();
        int[] oli = Shape.aroundAxis(out.shape(), axis);
        int outer = oli[0], count = oli[1], inner = oli[2], len = x.size(axis);
        int[] id = checkedIds(ids, len, "indexSelect");
        if (outer * count * inner == 0) return;
        if (inner == 1) { // picking along the last axis: gather scalars from each row
            Blocks rows = Blocks.of(x, axis);
            StridedLoops.forRows(outer, count, 1, (s, e) -> {
                for (int o = s; o < e; o++) {
                    Blocks.Row row = rows.row(o, 0, len, 0);
                    for (int j = 0; j < count; j++) dst[base + o * count + j] = row.data()[row.offset() + id[j]];
                }
            });
            return;
        }
        Blocks blocks = Blocks.of(x, axis + 1);
        StridedLoops.forTiles(outer * count, inner, 1, (oj, lo, hi) -> {
            int o = oj / count, j = oj % count;
            blocks.read(blocks.start(o * len + id[j]), lo, hi - lo, dst, base + oj * inner + lo);
        });
    }

    /** out [outer, len, inner] += src [outer, count, inner] at ids [count] along axis; repeats accumulate. */
    static void indexAdd(Tensor src, int axis, Tensor ids, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "indexAdd");
        int base = out.offset();
        int[] oli = Shape.aroundAxis(src.shape(), axis);
        int outer = oli[0], count = oli[1], inner = oli[2], len = out.size(axis);
        int[] id = checkedIds(ids, len, "indexAdd");
        if (outer * count * inner == 0) return;
        if (inner == 1) {
            Blocks rows = Blocks.of(src, axis);
            StridedLoops.forRows(outer, count, 1, (s, e) -> {
                for (int o = s; o < e; o++) {
                    Blocks.Row row = rows.row(o, 0, count, 0);
                    for (int j = 0; j < count; j++) dst[base + o * len + id[j]] += row.data()[row.offset() + j];
                }
            });
            return;
        }
        // threads split outer and the inner columns, never the ids: two equal ids never race
        Blocks blocks = Blocks.of(src, axis + 1);
        StridedLoops.forTiles(outer, inner, count, (o, lo, hi) -> {
            int n = hi - lo;
            for (int j = 0; j < count; j++) {
                Blocks.Row row = blocks.row(o * count + j, lo, n, 0);
                VectorRows.addInto(row.data(), row.offset(), n, dst, base + (o * len + id[j]) * inner + lo);
            }
        });
    }

    private static int[] checkedIds(Tensor ids, int limit, String op) {
        int[] id = CopyKernels.downloadInts(ids);
        for (int i : id)
            if (i < 0 || i >= limit) throw new IllegalArgumentException(op + ": index " + i + " outside [0, " + limit + ")");
        return id;
    }
}
