package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * Cross-entropy of logits [N, V] against I32 targets [N], fused per row: loss = log sum exp(x) - x[target],
 * computed as max + log sum exp(x - max) - x[target]. The backward, right below, is scale * (softmax - onehot).
 * Rows whose target is ignoreIndex give 0 (and a zero gradient row).
 */
final class CrossEntropyKernel {
    private CrossEntropyKernel() {}

    /** out [N] = per-row loss. */
    static void forward(Tensor logits, Tensor targets, int ignoreIndex, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "crossEntropy");
        int base = out.offset(), rows = logits.size(0), v = logits.size(1);
        int[] target = checkedTargets(targets, rows, v, ignoreIndex);
        Blocks logitRows = Blocks.rows(logits);
        StridedLoops.forRows(rows, v, 8, (s, e) -> {
            for (int r = s; r < e; r++) {
                if (target[r] == ignoreIndex) { dst[base + r] = 0f; continue; }
                Blocks.Row row = logitRows.row(r, 0, v, 0);
                float[] x = row.data();
                int xo = row.offset();
                float max = VectorRows.max(x, xo, v);
                dst[base + r] = (float) Math.log(VectorRows.sumExp(x, xo, v, max)) + max - x[xo + target[r]];
            }
        });
    }

    /** out [N, V] = d(scale * sum of row losses) / d logits = scale * (softmax(logits) - onehot(target)). */
    static void backward(Tensor logits, Tensor targets, int ignoreIndex, float scale, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "crossEntropyBackward");
        int base = out.offset(), rows = logits.size(0), v = logits.size(1);
        int[] target = checkedTargets(targets, rows, v, ignoreIndex);
        Blocks logitRows = Blocks.rows(logits);
        StridedLoops.forRows(rows, v, 8, (s, e) -> {
            for (int r = s; r < e; r++) {
                int at = base + r * v;
                if (target[r] == ignoreIndex) { Arrays.fill(dst, at, at + v, 0f); continue; }
                Blocks.Row row = logitRows.row(r, 0, v, 0);
                float max = VectorRows.max(row.data(), row.offset(), v);
                float sum = VectorRows.expInto(row.data(), row.offset(), v, max, dst, at);
                VectorRows.scale(dst, at, v, scale / sum, dst, at);
                dst[at + target[r]] -= scale;
            }
        });
    }

    private static int[] checkedTargets(Tensor targets, int rows, int vocab, int ignoreIndex) {
        int[] t = CopyKernels.downloadInts(targets);
        if (t.length != rows)
            throw new IllegalArgumentException("crossEntropy: " + t.length + " targets for " + rows + " rows of logits");
        for (int target : t)
            if (target != ignoreIndex && (target < 0 || target >= vocab))
                throw new IllegalArgumentException("crossEntropy: target " + target + " outside vocabulary [0, " + vocab + ")");
        return t;
    }
}
