package dev.gmsa.tensor.device;

import dev.gmsa.tensor.Tensor;

/**
 * The device kernels of fused causal attention (attention.cl: one work-group per query row forward and for dq, one per
 * key row for dk and dv; no [T, S] score matrix in memory). The op, its checks, autograd rule and composed fallback
 * are autograd's {@code fused/Attention}, which registers these for every {@link DeviceBackend}.
 */
public final class AttentionDeviceKernel {
    /** Longest head the kernels hold in local memory (MAX_HEAD_DIM in attention.cl); callers compose longer heads. */
    public static final int MAX_HEAD_DIM = 256;
    private static final long[] ROW_LOCAL = {DeviceBackend.ROW_WORK_GROUP};

    private AttentionDeviceKernel() {}

    private static long[] rowGroups(int rows) {
        return new long[] {(long) rows * DeviceBackend.ROW_WORK_GROUP};
    }

    public static void forward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        int b = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), kvHeads = k.size(1), s = k.size(2);
        if (hd > MAX_HEAD_DIM) throw new IllegalArgumentException("attention: head size " + hd + " > " + MAX_HEAD_DIM + " on the device");
        if (out.numel() == 0) return;
        ((DeviceBackend) q.backend()).kernel("attention", "attention_forward").tensor(q).tensor(k).tensor(v).arg(scale).arg(causalOffset)
                .tensor(out).tensor(logSumExp != null ? logSumExp : out).arg(logSumExp != null ? 1 : 0)
                .arg(heads).arg(kvHeads).arg(t).arg(s).arg(hd).run(rowGroups(b * heads * t), ROW_LOCAL);
    }

    public static void backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale,
                                int causalOffset, Tensor dq, Tensor dk, Tensor dv) {
        int b = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), kvHeads = k.size(1), s = k.size(2);
        if (hd > MAX_HEAD_DIM) throw new IllegalArgumentException("attentionBackward: head size " + hd + " > " + MAX_HEAD_DIM + " on the device");
        if (q.numel() == 0 || k.numel() == 0) {
            dq.fillInPlace(0f);
            dk.fillInPlace(0f);
            dv.fillInPlace(0f);
            return;
        }
        DeviceBackend device = (DeviceBackend) q.backend();
        Tensor rowDot = dOut.mul(out).sum(-1, false); // [B, H, T]: the softmax backward's per-row correction
        device.kernel("attention", "attention_backward_dq").tensor(q).tensor(k).tensor(v).tensor(logSumExp).tensor(rowDot).tensor(dOut)
                .arg(scale).arg(causalOffset).tensor(dq).arg(heads).arg(kvHeads).arg(t).arg(s).arg(hd)
                .run(rowGroups(b * heads * t), ROW_LOCAL);
        device.kernel("attention", "attention_backward_dkdv").tensor(q).tensor(k).tensor(v).tensor(logSumExp).tensor(rowDot).tensor(dOut)
                .arg(scale).arg(causalOffset).tensor(dk).tensor(dv).arg(heads).arg(kvHeads).arg(t).arg(s).arg(hd)
                .run(rowGroups(b * kvHeads * s), ROW_LOCAL);
    }
}
