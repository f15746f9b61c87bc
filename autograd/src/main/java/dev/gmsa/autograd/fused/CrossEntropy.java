package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.IdSummary;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.StridedLoops;
import dev.gmsa.tensor.cpu.VectorRows;
import dev.gmsa.tensor.device.DeviceBackend;

import java.util.Arrays;

/**
 * Cross-entropy of logits [N, V] against I32 targets [N] as one fused op, everything it is made of side by side.
 * Per row: loss = log sum exp(x) - x[target], computed as max + log sum exp(x - max) - x[target]; rows whose target
 * is {@code ignoreIndex} give 0. The mean divides by the rows not ignored (at least 1). Backward of
 * scale * (sum of row losses): scale * (softmax(x) - onehot(target)), zero rows for ignored targets; scale is a
 * one-element tensor so that a mean's dy / count stays where the logits live (no device-to-host read).
 * The shape checks, the autograd rule, the scalar reference, the version composed from tensor ops, the CPU
 * kernels (Vector API) and the device kernels (kernels/cross_entropy.cl).
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    @FunctionalInterface
    public interface Forward {
        /** out [N] (fresh, contiguous F32) = the per-row losses. */
        void run(Tensor logits, Tensor targets, int ignoreIndex, Tensor out);
    }

    @FunctionalInterface
    public interface Backward {
        /** out [N, V] (fresh, contiguous F32) = scale * (softmax - onehot), zero for ignored rows. */
        void run(Tensor logits, Tensor targets, int ignoreIndex, Tensor scale, Tensor out);
    }

    static final String DEVICE_PROGRAM = "dev/gmsa/autograd/kernels/cross_entropy";

    public static final FusedOp<Forward> FORWARD = new FusedOp<Forward>("crossEntropy", CrossEntropy::composedForward)
            .register(CpuBackend.class, CrossEntropy::cpuForward)
            .register(DeviceBackend.class, CrossEntropy::deviceForward);

    public static final FusedOp<Backward> BACKWARD = new FusedOp<Backward>("crossEntropyBackward", CrossEntropy::composedBackward)
            .register(CpuBackend.class, CrossEntropy::cpuBackward)
            .register(DeviceBackend.class, CrossEntropy::deviceBackward);

    // ------------------------------------------------------------------------------ the op and its autograd rule

    /** The mean loss over rows not ignored (0-d), recorded for autograd (the targets are constants). */
    public static Var apply(Var logits, Tensor targets, int ignoreIndex) {
        Tensor perRow = perRow(logits.value(), targets, ignoreIndex);
        Tensor counted = countedTargets(targets, ignoreIndex);
        // dy / counted stays a scalar where the logits live: the backward reads nothing back to the host
        return Var.op(perRow.sum().div(counted), dy -> new Tensor[] {backward(logits.value(), targets, ignoreIndex, dy.div(counted))}, logits);
    }

    /** The mean loss over rows not ignored (0-d; 0 when every target is ignored), without autograd. */
    public static Tensor mean(Tensor logits, Tensor targets, int ignoreIndex) {
        return perRow(logits, targets, ignoreIndex).sum().div(countedTargets(targets, ignoreIndex));
    }

    /** The per-row losses [N]. */
    public static Tensor perRow(Tensor logits, Tensor targets, int ignoreIndex) {
        check(logits, targets, ignoreIndex);
        Tensor out = Tensor.empty(logits.backend(), DType.F32, logits.size(0));
        if (out.numel() > 0) FORWARD.on(logits.backend()).run(logits, targets, ignoreIndex, out);
        return out;
    }

    /** d (scale * sum of row losses) / d logits, scale a one-element tensor. */
    public static Tensor backward(Tensor logits, Tensor targets, int ignoreIndex, Tensor scale) {
        check(logits, targets, ignoreIndex);
        if (scale.numel() != 1) throw new ShapeException("crossEntropyBackward: scale must have one element, got " + scale);
        Tensor out = Tensor.empty(logits.backend(), DType.F32, logits.shape());
        if (out.numel() > 0) BACKWARD.on(logits.backend()).run(logits, targets, ignoreIndex, scale, out);
        return out;
    }

    /** max(1, number of targets that are not ignoreIndex), as a 0-d F32 tensor computed where the targets live. */
    public static Tensor countedTargets(Tensor targets, int ignoreIndex) {
        Tensor ignored = targets.to(DType.F32).zip(BinaryOp.EQ, ignoreIndex).sum();
        return ignored.neg().add(targets.numel()).zip(BinaryOp.MAX, 1f);
    }

    /** Targets that are not ignoreIndex, counted on the host (it reads them back). */
    public static int countNotIgnored(Tensor targets, int ignoreIndex) {
        int n = 0;
        for (int t : targets.toIntArray()) if (t != ignoreIndex) n++;
        return n;
    }

    /** Shapes, backends, and every target in [0, V) or ignored: proven from what is known of the ids when possible. */
    private static void check(Tensor logits, Tensor targets, int ignoreIndex) {
        if (logits.rank() != 2 || targets.rank() != 1 || targets.size(0) != logits.size(0) || targets.dtype() != DType.I32)
            throw new ShapeException("crossEntropy: logits must be [N, V] and targets I32 [N], got " + Shape.str(logits.shape())
                    + " and " + targets);
        if (logits.backend() != targets.backend())
            throw new IllegalArgumentException("crossEntropy: logits and targets are on different backends");
        int vocab = logits.size(1);
        IdSummary known = targets.storage().knownIds();
        if (known != null && known.provesTargets(vocab, ignoreIndex)) return; // proven without a device-to-host copy
        for (int t : targets.toIntArray())
            if (t != ignoreIndex && (t < 0 || t >= vocab))
                throw new ShapeException("crossEntropy: target " + t + " outside vocabulary [0, " + vocab + ")");
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** Per-row losses of logits [rows, v] (row-major), in double. */
    public static float[] referenceForward(float[] logits, int[] targets, int ignoreIndex) {
        int rows = targets.length, v = rows == 0 ? 0 : logits.length / rows;
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < v; i++) max = Math.max(max, logits[r * v + i]);
            for (int i = 0; i < v; i++) sum += Math.exp(logits[r * v + i] - max);
            out[r] = (float) (Math.log(sum) + max - logits[r * v + targets[r]]);
        }
        return out;
    }

    /** scale * (softmax - onehot) per row, zero rows for ignored targets, in double. */
    public static float[] referenceBackward(float[] logits, int[] targets, int ignoreIndex, float scale) {
        int rows = targets.length, v = rows == 0 ? 0 : logits.length / rows;
        float[] out = new float[logits.length];
        for (int r = 0; r < rows; r++) {
            if (targets[r] == ignoreIndex) continue;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < v; i++) max = Math.max(max, logits[r * v + i]);
            for (int i = 0; i < v; i++) sum += Math.exp(logits[r * v + i] - max);
            for (int i = 0; i < v; i++)
                out[r * v + i] = (float) (scale * (Math.exp(logits[r * v + i] - max) / sum - (i == targets[r] ? 1 : 0)));
        }
        return out;
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    /** onehot(target) [N, V], times 0 for ignored rows: column ids from iota compared with the targets. */
    private static Tensor keptOneHot(Tensor logits, Tensor targets, int ignoreIndex) {
        Tensor t = targets.to(DType.F32).reshape(-1, 1);
        Tensor columns = Tensor.arange(logits.backend(), logits.size(1)).reshape(1, -1);
        Tensor kept = t.zip(BinaryOp.EQ, ignoreIndex).neg().add(1f);
        return columns.zip(BinaryOp.EQ, t).mul(kept);
    }

    private static Tensor keptRows(Tensor targets, int ignoreIndex) {
        return targets.to(DType.F32).zip(BinaryOp.EQ, ignoreIndex).neg().add(1f);
    }

    static void composedForward(Tensor logits, Tensor targets, int ignoreIndex, Tensor out) {
        Tensor picked = logits.logSoftmax().mul(keptOneHot(logits, targets, ignoreIndex)).sum(-1, false);
        out.copyFrom(picked.neg());
    }

    static void composedBackward(Tensor logits, Tensor targets, int ignoreIndex, Tensor scale, Tensor out) {
        Tensor probabilities = logits.softmax().mul(keptRows(targets, ignoreIndex).reshape(-1, 1));
        out.copyFrom(probabilities.sub(keptOneHot(logits, targets, ignoreIndex)).mul(scale.reshape(1, 1)));
    }

    // ------------------------------------------------------------------------------ CPU kernels

    static void cpuForward(Tensor logits, Tensor targets, int ignoreIndex, Tensor out) {
        Tensor dense = StridedLoops.heapF32(logits);
        float[] x = StridedLoops.denseArray(dense), dst = StridedLoops.outArray(out, "crossEntropy");
        int[] target = targets.toIntArray(); // host memory: reading it is free
        int v = logits.size(1), xo = dense.offset(), oo = out.offset();
        StridedLoops.forRows(target.length, v, 8, (s, e) -> {
            for (int r = s; r < e; r++) {
                if (target[r] == ignoreIndex) { dst[oo + r] = 0f; continue; }
                int row = xo + r * v;
                float max = VectorRows.max(x, row, v);
                dst[oo + r] = (float) Math.log(VectorRows.sumExp(x, row, v, max)) + max - x[row + target[r]];
            }
        });
    }

    static void cpuBackward(Tensor logits, Tensor targets, int ignoreIndex, Tensor scaleTensor, Tensor out) {
        Tensor dense = StridedLoops.heapF32(logits);
        float[] x = StridedLoops.denseArray(dense), dst = StridedLoops.outArray(out, "crossEntropyBackward");
        int[] target = targets.toIntArray();
        float scale = scaleTensor.item();
        int v = logits.size(1), xo = dense.offset(), oo = out.offset();
        StridedLoops.forRows(target.length, v, 8, (s, e) -> {
            for (int r = s; r < e; r++) {
                int at = oo + r * v, row = xo + r * v;
                if (target[r] == ignoreIndex) { Arrays.fill(dst, at, at + v, 0f); continue; }
                float max = VectorRows.max(x, row, v);
                float sum = VectorRows.expInto(x, row, v, max, dst, at);
                VectorRows.scale(dst, at, v, scale / sum, dst, at);
                dst[at + target[r]] -= scale;
            }
        });
    }

    // ------------------------------------------------------------------------------ device kernels

    private static final long[] ROW_LOCAL = {DeviceBackend.ROW_WORK_GROUP};

    private static long[] rowGroups(int rows) {
        return new long[] {(long) rows * DeviceBackend.ROW_WORK_GROUP};
    }

    static void deviceForward(Tensor logits, Tensor targets, int ignoreIndex, Tensor out) {
        ((DeviceBackend) logits.backend()).kernel(DEVICE_PROGRAM, "cross_entropy_rows").tensor(logits).tensor(targets).arg(ignoreIndex)
                .tensor(out).arg(logits.size(1)).run(rowGroups(logits.size(0)), ROW_LOCAL);
    }

    static void deviceBackward(Tensor logits, Tensor targets, int ignoreIndex, Tensor scale, Tensor out) {
        ((DeviceBackend) logits.backend()).kernel(DEVICE_PROGRAM, "cross_entropy_backward_rows").tensor(logits).tensor(targets)
                .arg(ignoreIndex).tensor(scale).tensor(out).arg(logits.size(1)).run(rowGroups(logits.size(0)), ROW_LOCAL);
    }
}
