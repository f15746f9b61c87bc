package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.tensor.cpu.StridedLoops;
import dev.gmsa.tensor.cpu.VectorRows;
import dev.gmsa.tensor.device.DeviceBackend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * RMS normalisation over the last axis as one fused op, everything it is made of side by side:
 * out = x r w with r = 1 / sqrt(mean(x^2) + eps), and its backward. With g = dOut w and xhat = x r:
 * dy_i/dx_j = r w_i [i == j] + x_i w_i dr/dx_j and dr/dx_j = -r^3 x_j / D, so
 * dx = r (g - xhat mean(g xhat)) and dWeight = sum over rows of dOut xhat.
 * The shape checks, the autograd rule, the scalar reference, the version composed from tensor ops, the CPU
 * kernels (Vector API) and the device kernels (kernels/rms_norm.cl). x [..., D], weight [D] of any floating dtype.
 */
public final class RmsNorm {
    private RmsNorm() {}

    @FunctionalInterface
    public interface Forward {
        /** out (fresh, contiguous F32, x's shape) = the normalised x. */
        void run(Tensor x, Tensor weight, float eps, Tensor out);
    }

    @FunctionalInterface
    public interface Backward {
        /** dx (fresh, contiguous F32) and, when not null, dWeight [D] from dOut. */
        void run(Tensor x, Tensor weight, float eps, Tensor dOut, Tensor dx, Tensor dWeight);
    }

    static final String DEVICE_PROGRAM = "dev/gmsa/autograd/kernels/rms_norm";

    public static final FusedOp<Forward> FORWARD = new FusedOp<Forward>("rmsNorm", RmsNorm::composedForward)
            .register(CpuBackend.class, RmsNorm::cpuForward)
            .register(DeviceBackend.class, RmsNorm::deviceForward);

    public static final FusedOp<Backward> BACKWARD = new FusedOp<Backward>("rmsNormBackward", RmsNorm::composedBackward)
            .register(CpuBackend.class, RmsNorm::cpuBackward)
            .register(DeviceBackend.class, RmsNorm::deviceBackward);

    // ------------------------------------------------------------------------------ the op and its autograd rule

    /** x normalised over its last axis and scaled by weight, recorded for autograd. */
    public static Var apply(Var x, Var weight, float eps) {
        Tensor out = forward(x.value(), weight.value(), eps);
        return Var.op(out, dy -> backward(x.value(), weight.value(), eps, dy, weight.requiresGrad()), x, weight);
    }

    public static Tensor forward(Tensor x, Tensor weight, float eps) {
        check(x, weight, null);
        Tensor out = Tensor.empty(x.backend(), DType.F32, x.shape());
        if (out.numel() > 0) FORWARD.on(x.backend()).run(x, weight, eps, out);
        return out;
    }

    /** {dx, dWeight (null unless asked for)} for the output gradient dOut. */
    public static Tensor[] backward(Tensor x, Tensor weight, float eps, Tensor dOut, boolean weightGradient) {
        check(x, weight, dOut);
        Tensor dx = Tensor.empty(x.backend(), DType.F32, x.shape());
        Tensor dWeight = weightGradient ? Tensor.empty(x.backend(), DType.F32, weight.shape()) : null;
        if (x.numel() == 0) {
            if (dWeight != null) dWeight.fillInPlace(0f);
        } else {
            BACKWARD.on(x.backend()).run(x, weight, eps, dOut, dx, dWeight);
        }
        return new Tensor[] {dx, dWeight};
    }

    private static void check(Tensor x, Tensor weight, Tensor dOut) {
        if (x.backend() != weight.backend() || (dOut != null && dOut.backend() != x.backend()))
            throw new IllegalArgumentException("rmsNorm: x, weight" + (dOut == null ? "" : " and dOut") + " are on different backends");
        if (x.rank() == 0 || weight.rank() != 1 || weight.size(0) != x.size(-1))
            throw new ShapeException("rmsNorm: weight " + Shape.str(weight.shape()) + " does not match the last axis of " + Shape.str(x.shape()));
        if (dOut != null && !Arrays.equals(x.shape(), dOut.shape()))
            throw new ShapeException("rmsNormBackward: x " + Shape.str(x.shape()) + " and dOut " + Shape.str(dOut.shape()) + " do not match");
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** out for x [rows, d] (row-major values) and weight [d], in double. */
    public static float[] referenceForward(float[] x, float[] w, float eps) {
        int d = w.length, rows = x.length / d;
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double r2 = inverseRms(x, r * d, d, eps);
            for (int i = 0; i < d; i++) out[r * d + i] = (float) (x[r * d + i] * r2 * w[i]);
        }
        return out;
    }

    /** {dx, dWeight}, in double. */
    public static float[][] referenceBackward(float[] x, float[] w, float eps, float[] dOut) {
        int d = w.length, rows = x.length / d;
        float[] dx = new float[x.length];
        double[] dw = new double[d];
        for (int row = 0; row < rows; row++) {
            double r = inverseRms(x, row * d, d, eps), gDotXhat = 0;
            for (int i = 0; i < d; i++) gDotXhat += (double) dOut[row * d + i] * w[i] * x[row * d + i] * r;
            for (int i = 0; i < d; i++) {
                double xhat = x[row * d + i] * r, dy = dOut[row * d + i];
                dx[row * d + i] = (float) (r * (dy * w[i] - xhat * gDotXhat / d));
                dw[i] += dy * xhat;
            }
        }
        float[] dWeight = new float[d];
        for (int i = 0; i < d; i++) dWeight[i] = (float) dw[i];
        return new float[][] {dx, dWeight};
    }

    private static double inverseRms(float[] x, int from, int d, float eps) {
        double squares = 0;
        for (int i = 0; i < d; i++) squares += (double) x[from + i] * x[from + i];
        return 1 / Math.sqrt(squares / d + eps);
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    private static Tensor composedInverseRms(Tensor x, float eps) {
        return x.square().mean(-1, true).add(eps).rsqrt();
    }

    static void composedForward(Tensor x, Tensor weight, float eps, Tensor out) {
        out.copyFrom(x.mul(composedInverseRms(x, eps)).mul(weight));
    }

    static void composedBackward(Tensor x, Tensor weight, float eps, Tensor dOut, Tensor dx, Tensor dWeight) {
        Tensor r = composedInverseRms(x, eps);
        Tensor xhat = x.mul(r), g = dOut.mul(weight);
        dx.copyFrom(r.mul(g.sub(xhat.mul(g.mul(xhat).mean(-1, true)))));
        if (dWeight != null) dWeight.copyFrom(dOut.mul(xhat).sumTo(weight.shape()));
    }

    // ------------------------------------------------------------------------------ CPU kernels

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Rows of a contiguous F32 x in place (others are read through one contiguous copy); weight widened once. */
    static void cpuForward(Tensor x, Tensor weight, float eps, Tensor out) {
        Tensor dense = StridedLoops.heapF32(x);
        float[] xs = StridedLoops.denseArray(dense), dst = StridedLoops.outArray(out, "rmsNorm"), w = StridedLoops.toArray(weight);
        int n = x.size(-1), rows = x.numel() / n, xo = dense.offset(), oo = out.offset();
        StridedLoops.forRows(rows, n, 3, (s, e) -> {
            for (int r = s; r < e; r++) cpuForwardRow(xs, xo + r * n, n, w, eps, dst, oo + r * n);
        });
    }

    private static void cpuForwardRow(float[] x, int xo, int n, float[] w, float eps, float[] out, int oo) {
        float scale = (float) (1.0 / Math.sqrt(VectorRows.sumOfSquares(x, xo, n) / n + eps));
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, x, xo + i).mul(scale).mul(FloatVector.fromArray(F, w, i)).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = x[xo + i] * scale * w[i];
    }

    /** One pass per row; dWeight from per-thread partial sums added at the end. */
    static void cpuBackward(Tensor x, Tensor weight, float eps, Tensor dOut, Tensor dx, Tensor dWeight) {
        Tensor xd = StridedLoops.heapF32(x), dyd = StridedLoops.heapF32(dOut);
        float[] xs = StridedLoops.denseArray(xd), dys = StridedLoops.denseArray(dyd), dxs = StridedLoops.outArray(dx, "rmsNormBackward");
        int d = x.size(-1), rows = x.numel() / d;
        float[] w = StridedLoops.toArray(weight);
        int chunks = Math.max(1, Math.min(Parallel.threads(), rows * d / (1 << 14)));
        float[][] partialDw = new float[chunks][];
        Parallel.forEach(chunks, c -> {
            float[] dw = dWeight == null ? null : new float[d];
            for (int row = rows * c / chunks; row < rows * (c + 1) / chunks; row++)
                cpuBackwardRow(xs, xd.offset() + row * d, dys, dyd.offset() + row * d, w, d, eps, dxs, dx.offset() + row * d, dw);
            partialDw[c] = dw;
        });
        if (dWeight != null) {
            float[] out = StridedLoops.outArray(dWeight, "rmsNormBackward");
            Arrays.fill(out, dWeight.offset(), dWeight.offset() + d, 0f);
            for (float[] part : partialDw) VectorRows.addInto(part, 0, d, out, dWeight.offset());
        }
    }

    private static void cpuBackwardRow(float[] x, int xo, float[] dy, int yo, float[] w, int d, float eps, float[] dx, int dxo, float[] dw) {
        float r = (float) (1.0 / Math.sqrt(VectorRows.sumOfSquares(x, xo, d) / d + eps));
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(d);
        for (; i < bound; i += F.length()) // sum of g * x
            acc = FloatVector.fromArray(F, dy, yo + i).mul(FloatVector.fromArray(F, w, i)).fma(FloatVector.fromArray(F, x, xo + i), acc);
        float gDotX = acc.reduceLanes(VectorOperators.ADD);
        for (; i < d; i++) gDotX += dy[yo + i] * w[i] * x[xo + i];
        float meanGXhat = gDotX * r / d, xhatScale = r * meanGXhat; // dx = r g - x r^2 mean(g xhat)
        for (i = 0; i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), dyv = FloatVector.fromArray(F, dy, yo + i);
            dyv.mul(FloatVector.fromArray(F, w, i)).mul(r).sub(xv.mul(r * xhatScale)).intoArray(dx, dxo + i);
            if (dw != null) dyv.fma(xv.mul(r), FloatVector.fromArray(F, dw, i)).intoArray(dw, i);
        }
        for (; i < d; i++) {
            dx[dxo + i] = dy[yo + i] * w[i] * r - x[xo + i] * r * xhatScale;
            if (dw != null) dw[i] += dy[yo + i] * x[xo + i] * r;
        }
    }

    // ------------------------------------------------------------------------------ device kernels

    private static long[] rowGroups(int rows) {
        return new long[] {(long) rows * DeviceBackend.ROW_WORK_GROUP};
    }

    private static final long[] ROW_LOCAL = {DeviceBackend.ROW_WORK_GROUP};

    static void deviceForward(Tensor x, Tensor weight, float eps, Tensor out) {
        int n = x.size(-1);
        ((DeviceBackend) x.backend()).kernel(DEVICE_PROGRAM, "rms_norm_rows").tensor(x).tensor(weight).arg(eps).tensor(out).arg(n)
                .run(rowGroups(x.numel() / n), ROW_LOCAL);
    }

    static void deviceBackward(Tensor x, Tensor weight, float eps, Tensor dOut, Tensor dx, Tensor dWeight) {
        DeviceBackend device = (DeviceBackend) x.backend();
        int n = x.size(-1), rows = x.numel() / n;
        Tensor inverseRms = Tensor.empty(device, DType.F32, rows); // r per row, for the weight gradient
        device.kernel(DEVICE_PROGRAM, "rms_norm_backward_rows").tensor(x).tensor(weight).arg(eps).tensor(dOut).tensor(dx).tensor(inverseRms)
                .arg(n).run(rowGroups(rows), ROW_LOCAL);
        if (dWeight != null)
            device.kernel(DEVICE_PROGRAM, "rms_norm_weight_grad").tensor(x).tensor(dOut).tensor(inverseRms).tensor(dWeight).arg(rows).arg(n)
                    .runFlat(n);
    }
}
