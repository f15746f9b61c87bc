package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.AttentionKernel;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.device.AttentionDeviceKernel;
import dev.gmsa.tensor.device.DeviceBackend;

import java.util.Arrays;

/**
 * Causal scaled-dot-product attention with grouped-query heads as one fused op: q [B, H, T, hd], k and v
 * [B, KV, S, hd], H a multiple of KV (query head h reads key/value head h / (H / KV)). Query t sits at position
 * causalOffset + t and sees keys s <= causalOffset + t. out [B, H, T, hd] = softmax(scale q k^T, masked) v; the
 * forward can keep each row's log-sum-exp, from which the backward recomputes the probabilities (FlashAttention-2)
 * instead of storing the [T, S] matrix. With p = softmax of the scaled scores:
 * dv = p^T dOut, dp = dOut v^T, ds = p (dp - rowsum(dOut * out)), dq = scale ds k, dk = scale ds^T q
 * (gradients of all query heads that share a key/value head summed into it).
 * Here: the shape checks, the autograd rule, the scalar reference, the version composed from tensor ops (it
 * materialises the [B, H, T, S] scores) and the kernel registrations: the CPU's {@link AttentionKernel} (online
 * softmax over key blocks, Vector API) and the device's {@link AttentionDeviceKernel} (attention.cl).
 */
public final class Attention {
    private Attention() {}

    @FunctionalInterface
    public interface Forward {
        /** out (any view whose last axis is contiguous) and, when not null, logSumExp [B, H, T] are overwritten. */
        void run(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp);
    }

    @FunctionalInterface
    public interface Backward {
        /** dq [B, H, T, hd], dk and dv [B, KV, S, hd] (fresh, contiguous F32) are overwritten. */
        void run(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale, int causalOffset,
                 Tensor dq, Tensor dk, Tensor dv);
    }

    public static final FusedOp<Forward> FORWARD = new FusedOp<Forward>("attention", Attention::composedForward)
            .register(CpuBackend.class, AttentionKernel::forward)
            .register(DeviceBackend.class, Attention::deviceForward);

    public static final FusedOp<Backward> BACKWARD = new FusedOp<Backward>("attentionBackward", Attention::composedBackward)
            .register(CpuBackend.class, AttentionKernel::backward)
            .register(DeviceBackend.class, Attention::deviceBackward);

    // ------------------------------------------------------------------------------ the op and its autograd rule

    /** Attention of q over k, v recorded for autograd; the log-sum-exp is kept only when a gradient will be needed. */
    public static Var apply(Var q, Var k, Var v, float scale, int causalOffset) {
        boolean recording = Grad.enabled() && (q.requiresGrad() || k.requiresGrad() || v.requiresGrad());
        Tensor logSumExp = recording ? Tensor.empty(q.value().backend(), DType.F32, q.size(0), q.size(1), q.size(2)) : null;
        Tensor out = forward(q.value(), k.value(), v.value(), scale, causalOffset, logSumExp);
        return Var.op(out, dy -> backward(q.value(), k.value(), v.value(), out, logSumExp, dy, scale, causalOffset), q, k, v);
    }

    /**
     * softmax(scale q k^T, masked) v as [B, H, T, hd], a head-major view of a [B, T, H, hd] buffer, so
     * {@code permute(0, 2, 1, 3)} gives the heads side by side without a copy. {@code logSumExp}, when not null,
     * must be a [B, H, T] F32 tensor and receives each row's log softmax denominator (for the backward).
     */
    public static Tensor forward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor logSumExp) {
        check(q, k, v, causalOffset, "attention");
        int b = q.size(0), h = q.size(1), t = q.size(2), hd = q.size(3);
        if (logSumExp != null && (logSumExp.dtype() != DType.F32 || !Arrays.equals(logSumExp.shape(), new int[] {b, h, t})))
            throw new ShapeException("attention: logSumExp must be F32 [" + b + ", " + h + ", " + t + "], got " + logSumExp);
        Tensor out = Tensor.empty(q.backend(), DType.F32, b, t, h, hd).permute(0, 2, 1, 3);
        FORWARD.on(q.backend()).run(q, k, v, scale, causalOffset, out, logSumExp);
        return out;
    }

    public static Tensor forward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset) {
        return forward(q, k, v, scale, causalOffset, null);
    }

    /** {dq, dk, dv} for the output gradient dOut, given the forward's out and logSumExp. */
    public static Tensor[] backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale, int causalOffset) {
        check(q, k, v, causalOffset, "attentionBackward");
        int[] lseShape = {q.size(0), q.size(1), q.size(2)};
        if (!Arrays.equals(out.shape(), q.shape()) || !Arrays.equals(dOut.shape(), q.shape()) || !Arrays.equals(logSumExp.shape(), lseShape))
            throw new ShapeException("attentionBackward: out " + Shape.str(out.shape()) + " and dOut " + Shape.str(dOut.shape())
                    + " must match q " + Shape.str(q.shape()) + ", logSumExp " + Shape.str(logSumExp.shape()) + " must be " + Shape.str(lseShape));
        Backend backend = q.backend();
        Tensor dq = Tensor.empty(backend, DType.F32, q.shape()), dk = Tensor.empty(backend, DType.F32, k.shape()), dv = Tensor.empty(backend, DType.F32, v.shape());
        BACKWARD.on(backend).run(q, k, v, out, logSumExp, dOut, scale, causalOffset, dq, dk, dv);
        return new Tensor[] {dq, dk, dv};
    }

    private static void check(Tensor q, Tensor k, Tensor v, int causalOffset, String op) {
        if (q.backend() != k.backend() || q.backend() != v.backend())
            throw new IllegalArgumentException(op + ": q, k and v are on different backends");
        if (!q.dtype().isFloating() || !k.dtype().isFloating() || !v.dtype().isFloating())
            throw new IllegalArgumentException(op + ": q, k and v must be floating, got " + q.dtype() + ", " + k.dtype() + ", " + v.dtype());
        boolean ok = q.rank() == 4 && k.rank() == 4 && Arrays.equals(k.shape(), v.shape())
                && k.size(0) == q.size(0) && k.size(3) == q.size(3) && k.size(1) > 0 && q.size(1) % k.size(1) == 0 && k.size(2) > 0;
        if (!ok)
            throw new ShapeException(op + ": needs q [B, H, T, hd] and k, v [B, KV, S, hd] with H a multiple of KV and S > 0, got q "
                    + Shape.str(q.shape()) + ", k " + Shape.str(k.shape()) + ", v " + Shape.str(v.shape()));
        if (causalOffset < 0) throw new ShapeException(op + ": causal offset must be >= 0, got " + causalOffset);
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** Sizes of one problem: q [b, h, t, hd] and k, v [b, kv, s, hd], all row-major arrays. */
    public record Dims(int b, int h, int kv, int t, int s, int hd) {
        int q(int bi, int hi, int ti, int d) { return ((bi * h + hi) * t + ti) * hd + d; }
        int k(int bi, int ki, int si, int d) { return ((bi * kv + ki) * s + si) * hd + d; }
        int row(int bi, int hi, int ti) { return (bi * h + hi) * t + ti; }
    }

    /** Scores of one query row against its visible keys, in double: scale q[b, h, t] . k[b, h / group, s]. */
    private static double[] referenceScores(float[] q, float[] k, Dims n, float scale, int causalOffset, int b, int h, int t) {
        int kvHead = h / (n.h() / n.kv()), visible = Math.min(n.s(), causalOffset + t + 1);
        double[] scores = new double[visible];
        for (int s = 0; s < visible; s++) {
            double dot = 0;
            for (int d = 0; d < n.hd(); d++) dot += (double) q[n.q(b, h, t, d)] * k[n.k(b, kvHead, s, d)];
            scores[s] = dot * scale;
        }
        return scores;
    }

    /** {out [b, h, t, hd], logSumExp [b, h, t]}, in double. */
    public static float[][] referenceForward(float[] q, float[] k, float[] v, Dims n, float scale, int causalOffset) {
        float[] out = new float[n.b() * n.h() * n.t() * n.hd()], lse = new float[n.b() * n.h() * n.t()];
        int group = n.h() / n.kv();
        for (int b = 0; b < n.b(); b++)
            for (int h = 0; h < n.h(); h++)
                for (int t = 0; t < n.t(); t++) {
                    double[] scores = referenceScores(q, k, n, scale, causalOffset, b, h, t);
                    double max = Double.NEGATIVE_INFINITY, sum = 0;
                    for (double x : scores) max = Math.max(max, x);
                    for (double x : scores) sum += Math.exp(x - max);
                    for (int d = 0; d < n.hd(); d++) {
                        double acc = 0;
                        for (int s = 0; s < scores.length; s++) acc += Math.exp(scores[s] - max) * v[n.k(b, h / group, s, d)];
                        out[n.q(b, h, t, d)] = (float) (acc / sum);
                    }
                    lse[n.row(b, h, t)] = (float) (max + Math.log(sum));
                }
        return new float[][] {out, lse};
    }

    /** {dq, dk, dv} for dOut [b, h, t, hd], in double (out and logSumExp recomputed). */
    public static float[][] referenceBackward(float[] q, float[] k, float[] v, float[] dOut, Dims n, float scale, int causalOffset) {
        float[][] forward = referenceForward(q, k, v, n, scale, causalOffset);
        float[] out = forward[0], lse = forward[1];
        int group = n.h() / n.kv(), hd = n.hd();
        float[] dq = new float[q.length];
        double[] dk = new double[k.length], dv = new double[v.length];
        for (int b = 0; b < n.b(); b++)
            for (int h = 0; h < n.h(); h++)
                for (int t = 0; t < n.t(); t++) {
                    double[] scores = referenceScores(q, k, n, scale, causalOffset, b, h, t);
                    double rowDot = 0;
                    for (int d = 0; d < hd; d++) rowDot += (double) dOut[n.q(b, h, t, d)] * out[n.q(b, h, t, d)];
                    double[] dqRow = new double[hd];
                    for (int s = 0; s < scores.length; s++) {
                        double p = Math.exp(scores[s] - lse[n.row(b, h, t)]), dp = 0;
                        for (int d = 0; d < hd; d++) dp += (double) dOut[n.q(b, h, t, d)] * v[n.k(b, h / group, s, d)];
                        double ds = p * (dp - rowDot) * scale;
                        for (int d = 0; d < hd; d++) {
                            dqRow[d] += ds * k[n.k(b, h / group, s, d)];
                            dk[n.k(b, h / group, s, d)] += ds * q[n.q(b, h, t, d)];
                            dv[n.k(b, h / group, s, d)] += p * dOut[n.q(b, h, t, d)];
                        }
                    }
                    for (int d = 0; d < hd; d++) dq[n.q(b, h, t, d)] = (float) dqRow[d];
                }
        return new float[][] {dq, toFloats(dk), toFloats(dv)};
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) out[i] = (float) values[i];
        return out;
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    static void composedForward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        Tensor scores = maskedScores(q, k, scale, causalOffset);                        // [B, H, T, S]
        out.copyFrom(scores.softmax().matmul(repeatHeads(v, q.size(1))));                // [B, H, T, hd]
        if (logSumExp == null) return;
        Tensor max = scores.max(-1, true);
        logSumExp.copyFrom(scores.sub(max).exp().sum(-1, true).log().add(max).squeeze(-1));
    }

    static void composedBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale,
                                 int causalOffset, Tensor dq, Tensor dk, Tensor dv) {
        int heads = q.size(1), kvHeads = k.size(1);
        Tensor keys = repeatHeads(k, heads), values = repeatHeads(v, heads);
        Tensor p = maskedScores(q, k, scale, causalOffset).sub(logSumExp.unsqueeze(-1)).exp(); // [B, H, T, S]
        Tensor dp = dOut.matmul(values.mT());
        Tensor rowDot = dOut.mul(out).sum(-1, true);
        Tensor ds = p.mul(dp.sub(rowDot)).mul(scale);
        dq.copyFrom(ds.matmul(keys));
        dk.copyFrom(sumGroups(ds.mT().matmul(q), kvHeads));
        dv.copyFrom(sumGroups(p.mT().matmul(dOut), kvHeads));
    }

    /** scale q k^T with -infinity where key s lies after query position causalOffset + t (mask built where q lives). */
    private static Tensor maskedScores(Tensor q, Tensor k, float scale, int causalOffset) {
        int t = q.size(2), s = k.size(2);
        Tensor scores = q.matmul(repeatHeads(k, q.size(1)).mT()).mul(scale);
        Tensor queryPosition = Tensor.arange(q.backend(), t).add(causalOffset).reshape(t, 1);
        Tensor keyPosition = Tensor.arange(q.backend(), s).reshape(1, s);
        return scores.maskedFill(keyPosition.zip(BinaryOp.GT, queryPosition), Float.NEGATIVE_INFINITY);
    }

    /** [B, KV, S, hd] -> [B, H, S, hd]: each key/value head serves H / KV consecutive query heads. */
    private static Tensor repeatHeads(Tensor kv, int heads) {
        int b = kv.size(0), kvHeads = kv.size(1), s = kv.size(2), hd = kv.size(3);
        if (heads == kvHeads) return kv;
        return kv.unsqueeze(2).expand(b, kvHeads, heads / kvHeads, s, hd).reshape(b, heads, s, hd);
    }

    /** [B, H, S, hd] -> [B, KV, S, hd]: sums the gradients of the query heads that share a key/value head. */
    private static Tensor sumGroups(Tensor perHead, int kvHeads) {
        int b = perHead.size(0), heads = perHead.size(1), s = perHead.size(2), hd = perHead.size(3);
        if (heads == kvHeads) return perHead;
        return perHead.reshape(b, kvHeads, heads / kvHeads, s, hd).sum(2, false);
    }

    // ------------------------------------------------------------------------------ device kernels

    /** attention.cl's kernels (tensor's {@link AttentionDeviceKernel}); heads too long for its local memory run composed. */
    static void deviceForward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        if (q.size(3) > AttentionDeviceKernel.MAX_HEAD_DIM) composedForward(q, k, v, scale, causalOffset, out, logSumExp);
        else AttentionDeviceKernel.forward(q, k, v, scale, causalOffset, out, logSumExp);
    }

    static void deviceBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale,
                               int causalOffset, Tensor dq, Tensor dk, Tensor dv) {
        if (q.size(3) > AttentionDeviceKernel.MAX_HEAD_DIM) composedBackward(q, k, v, out, logSumExp, dOut, scale, causalOffset, dq, dk, dv);
        else AttentionDeviceKernel.backward(q, k, v, out, logSumExp, dOut, scale, causalOffset, dq, dk, dv);
    }
}
