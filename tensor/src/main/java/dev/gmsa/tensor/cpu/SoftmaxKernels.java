package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;

/**
 * Softmax and log-softmax over the last axis, numerically stable: per row one pass for the maximum, one for
 * exp(x - max) and its sum, one to normalise.
 */
final class SoftmaxKernels {
    private SoftmaxKernels() {}

    /** out = softmax(x) (or log-softmax when {@code log}) over the last axis; out is contiguous F32. */
    static void softmax(Tensor x, Tensor out, boolean log) {
        float[] dst = StridedLoops.outArray(out, log ? "logSoftmax" : "softmax");
        int base = out.offset(), n = x.size(-1);
        Blocks rows = Blocks.rows(x);
        if (n == 0 || rows.count == 0) return;
        StridedLoops.forRows(rows.count, n, 8, (s, e) -> {
            for (int r = s; r < e; r++) {
                Blocks.Row row = rows.row(r, 0, n, 0);
                int at = base + r * n;
                if (log) logSoftmaxRow(row.data(), row.offset(), n, dst, at);
                else softmaxRow(row.data(), row.offset(), n, dst, at);
            }
        });
    }

    static void softmaxRow(float[] x, int xo, int n, float[] out, int oo) {
        float max = VectorRows.max(x, xo, n);
        float sum = VectorRows.expInto(x, xo, n, max, out, oo);
        VectorRows.scale(out, oo, n, 1f / sum, out, oo);
    }

    /** log softmax = x - (max + log sum exp(x - max)). */
    static void logSoftmaxRow(float[] x, int xo, int n, float[] out, int oo) {
        float max = VectorRows.max(x, xo, n);
        float logSum = (float) Math.log(VectorRows.sumExp(x, xo, n, max));
        VectorRows.shift(x, xo, n, -(max + logSum), out, oo);
    }
}
