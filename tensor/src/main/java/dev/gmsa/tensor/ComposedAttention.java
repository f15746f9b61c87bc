package dev.gmsa.tensor;

/**
 * {@link Backend#attention} and its backward written with the primitive ops only (matmul, where, softmax,
 * reductions), so that any backend runs them without a dedicated kernel. It materialises the whole
 * [B, H, T, S] score matrix; fast backends override both methods.
 */
final class ComposedAttention {
    private ComposedAttention() {}

    /** See {@link Backend#attention}. */
    static void forward(Backend backend, Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        int heads = q.size(1);
        Tensor scores = maskedScores(backend, q, k, scale, causalOffset);             // [B, H, T, S]
        backend.copy(scores.softmax().matmul(repeatHeads(v, heads)), out);            // [B, H, T, hd]
        if (logSumExp == null) return;
        Tensor max = scores.max(-1, true);
        Tensor lse = scores.sub(max).exp().sum(-1, true).log().add(max);              // [B, H, T, 1]
        backend.copy(lse.squeeze(-1), logSumExp);
    }

    /**
     * See {@link Backend#attentionBackward}. With p = softmax of the scaled scores:
     * dv = p^T dOut; dp = dOut v^T; ds = p (dp - rowsum(dOut * out)); dq = scale ds k; dk = scale ds^T q.
     */
    static void backward(Backend backend, Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale,
                         int causalOffset, Tensor dq, Tensor dk, Tensor dv) {
        int heads = q.size(1), kvHeads = k.size(1);
        Tensor keys = repeatHeads(k, heads), values = repeatHeads(v, heads);
        Tensor p = maskedScores(backend, q, k, scale, causalOffset).sub(logSumExp.unsqueeze(-1)).exp(); // [B, H, T, S]
        Tensor dp = dOut.matmul(values.mT());
        Tensor rowDot = dOut.mul(out).sum(-1, true);
        Tensor ds = p.mul(dp.sub(rowDot)).mul(scale);
        backend.copy(ds.matmul(keys), dq);
        backend.copy(sumGroups(ds.mT().matmul(q), kvHeads), dk);
        backend.copy(sumGroups(p.mT().matmul(dOut), kvHeads), dv);
    }

    /** scale q k^T with -infinity where key s lies after query position causalOffset + t. */
    private static Tensor maskedScores(Backend backend, Tensor q, Tensor k, float scale, int causalOffset) {
        int t = q.size(2), s = k.size(2);
        Tensor scores = q.matmul(repeatHeads(k, q.size(1)).mT()).mul(scale);
        Tensor queryPosition = Tensor.arange(backend, t).add(causalOffset).reshape(t, 1);
        Tensor keyPosition = Tensor.arange(backend, s).reshape(1, s);
        Tensor future = keyPosition.zip(BinaryOp.GT, queryPosition);           // [t, s], built on the backend
        return scores.maskedFill(future, Float.NEGATIVE_INFINITY);
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
}
