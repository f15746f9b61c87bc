package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Fused causal attention (see {@link dev.gmsa.tensor.Backend#attention}) for q [B, H, T, hd] and k, v [B, KV, S, hd].
 * Forward: each query row walks its visible keys in blocks of {@link #KEY_BLOCK} with an online softmax (running
 * max and denominator, the accumulator rescaled when the max grows), so at most one block of scores exists at a
 * time and the [T, S] matrix never does. Grouped-query heads are handled by index (query head h reads kv head
 * h / group), never by copying K and V. Backward recomputes each block of probabilities from the saved
 * log-sum-exp (FlashAttention-2) and accumulates dq, dk, dv row by row.
 */
final class AttentionKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Keys per block of scores: 64 floats stay in registers/L1 next to one query row. */
    static final int KEY_BLOCK = 64;
    /** Below this many multiply-adds the whole call runs on the calling thread (decode of a small model). */
    private static final long PARALLEL_MIN_FMAS = 1L << 16;

    private AttentionKernel() {}

    /** A rank-3 or rank-4 F32 view over a float array whose last axis is contiguous: element (i0, i1, i2, 0). */
    private record Rows(float[] data, int offset, int s0, int s1, int s2) {
        int at(int i0, int i1, int i2) {
            return offset + i0 * s0 + i1 * s1 + i2 * s2;
        }

        static Rows of(Tensor t) {
            int[] st = t.strides();
            return new Rows(Strided.storage(t).floats, t.offset(), st[0], st[1], st[2]);
        }
    }

    /** t itself when it is F32 in a float array with a contiguous last axis, else a contiguous F32 copy. */
    private static Tensor readable(Tensor t) {
        if (isDirect(t)) return t;
        Tensor dense = Tensor.empty(CpuBackend.instance(), DType.F32, t.shape());
        CopyKernels.copy(t, dense);
        return dense;
    }

    /** out itself when the kernel can write it in place, else a dense F32 temporary (copied back by {@link #finish}). */
    private static Tensor writable(Tensor out) {
        return out == null || isDirect(out) ? out : Tensor.empty(CpuBackend.instance(), DType.F32, out.shape());
    }

    private static void finish(Tensor written, Tensor out) {
        if (written != out) CopyKernels.copy(written, out);
    }

    private static boolean isDirect(Tensor t) {
        return Strided.storage(t).floats != null && t.dtype() == DType.F32 && (t.rank() < 4 || t.strides()[3] == 1 || t.size(3) == 1);
    }

    // ---------------------------------------------------------------- forward

    static void forward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        Tensor outW = writable(out), lseW = writable(logSumExp);
        Rows qr = Rows.of(readable(q)), kr = Rows.of(readable(k)), vr = Rows.of(readable(v)), or = Rows.of(outW);
        Rows lse = lseW == null ? null : Rows.of(lseW.unsqueeze(3));
        int batch = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), s = k.size(2), group = heads / k.size(1);
        int splits = rowSplits(batch * heads, t);
        int tasks = batch * heads * splits;
        java.util.function.IntConsumer task = i -> {
            int bh = i / splits, split = i % splits, b = bh / heads, h = bh % heads;
            float[] scores = new float[KEY_BLOCK], acc = new float[hd];
            for (int row = t * split / splits; row < t * (split + 1) / splits; row++)
                forwardRow(qr, kr, vr, or, lse, b, h, h / group, row, visibleKeys(s, causalOffset, row), hd, scale, scores, acc);
        };
        runTasks(tasks, (long) batch * heads * t * Math.min(s, causalOffset + t) * hd, task);
        finish(outW, out);
        finish(lseW, logSumExp);
    }

    /** One query row: online softmax over blocks of keys; writes out[b, h, t] and its log-sum-exp. */
    private static void forwardRow(Rows q, Rows k, Rows v, Rows out, Rows lse, int b, int h, int kvHead, int t, int visible,
                                   int hd, float scale, float[] scores, float[] acc) {
        int qo = q.at(b, h, t);
        float max = Float.NEGATIVE_INFINITY, sum = 0f;
        Arrays.fill(acc, 0f);
        for (int s0 = 0; s0 < visible; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visible - s0);
            float blockMax = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                scores[j] = dot(q.data, qo, k.data, k.at(b, kvHead, s0 + j), hd) * scale;
                blockMax = Math.max(blockMax, scores[j]);
            }
            if (blockMax > max) { // rescale what was accumulated under the old maximum
                float correction = (float) Math.exp(max - blockMax);
                sum *= correction;
                scale(acc, hd, correction);
                max = blockMax;
            }
            sum += VectorRows.expInto(scores, 0, n, max, scores, 0);
            for (int j = 0; j < n; j++) axpy(scores[j], v.data, v.at(b, kvHead, s0 + j), acc, 0, hd);
        }
        VectorRows.scale(acc, 0, hd, 1f / sum, out.data, out.at(b, h, t));
        if (lse != null) lse.data[lse.at(b, h, t)] = max + (float) Math.log(sum);
    }

    // ---------------------------------------------------------------- backward

    /**
     * dq, dk, dv of {@link #forward}. One task per (batch, kv head) owns dk and dv of that head, so the query
     * heads of its group add into them without races. Per visible (t, s): p = exp(scale q.k - lse),
     * dv_s += p dOut_t, ds = scale p (dOut_t.v_s - dOut_t.out_t), dq_t += ds k_s, dk_s += ds q_t.
     */
    static void backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale, int causalOffset,
                         Tensor dq, Tensor dk, Tensor dv) {
        Tensor dqW = writable(dq), dkW = writable(dk), dvW = writable(dv);
        Rows qr = Rows.of(readable(q)), kr = Rows.of(readable(k)), vr = Rows.of(readable(v)), or = Rows.of(readable(out));
        Rows lse = Rows.of(readable(logSumExp).unsqueeze(3)), gr = Rows.of(readable(dOut));
        Rows dqr = Rows.of(dqW), dkr = Rows.of(dkW), dvr = Rows.of(dvW);
        int batch = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), kvHeads = k.size(1), s = k.size(2);
        int group = heads / kvHeads;
        java.util.function.IntConsumer task = i -> {
            int b = i / kvHeads, kvHead = i % kvHeads;
            for (int j = 0; j < s; j++) {
                Arrays.fill(dkr.data, dkr.at(b, kvHead, j), dkr.at(b, kvHead, j) + hd, 0f);
                Arrays.fill(dvr.data, dvr.at(b, kvHead, j), dvr.at(b, kvHead, j) + hd, 0f);
            }
            float[] probs = new float[KEY_BLOCK];
            for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                for (int row = 0; row < t; row++)
                    backwardRow(qr, kr, vr, or, lse, gr, dqr, dkr, dvr, b, h, kvHead, row, visibleKeys(s, causalOffset, row), hd, scale, probs);
        };
        runTasks(batch * kvHeads, 2L * batch * heads * t * Math.min(s, causalOffset + t) * hd, task);
        finish(dqW, dq);
        finish(dkW, dk);
        finish(dvW, dv);
    }

    private static void backwardRow(Rows q, Rows k, Rows v, Rows out, Rows lse, Rows dOut, Rows dq, Rows dk, Rows dv,
                                    int b, int h, int kvHead, int t, int visible, int hd, float scale, float[] probs) {
        int qo = q.at(b, h, t), go = dOut.at(b, h, t), dqo = dq.at(b, h, t);
        float rowLse = lse.data[lse.at(b, h, t)];
        float rowDot = dot(dOut.data, go, out.data, out.at(b, h, t), hd);
        Arrays.fill(dq.data, dqo, dqo + hd, 0f);
        for (int s0 = 0; s0 < visible; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visible - s0);
            for (int j = 0; j < n; j++) probs[j] = dot(q.data, qo, k.data, k.at(b, kvHead, s0 + j), hd) * scale;
            VectorRows.expInto(probs, 0, n, rowLse, probs, 0);
            for (int j = 0; j < n; j++) {
                int ko = k.at(b, kvHead, s0 + j), vo = v.at(b, kvHead, s0 + j);
                float p = probs[j];
                float ds = scale * p * (dot(dOut.data, go, v.data, vo, hd) - rowDot);
                axpy(p, dOut.data, go, dv.data, dv.at(b, kvHead, s0 + j), hd);
                axpy(ds, k.data, ko, dq.data, dqo, hd);
                axpy(ds, q.data, qo, dk.data, dk.at(b, kvHead, s0 + j), hd);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Keys a query at row t may see: positions [0, causalOffset + t], cut to the S that exist. */
    private static int visibleKeys(int keys, int causalOffset, int t) {
        return Math.min(keys, causalOffset + t + 1);
    }

    /** Splits of the query rows of each (batch, head) so that there are a few tasks per thread. */
    private static int rowSplits(int batchHeads, int t) {
        int wanted = 4 * Parallel.threads();
        return Math.max(1, Math.min(t, (wanted + batchHeads - 1) / batchHeads));
    }

    private static void runTasks(int tasks, long fmas, java.util.function.IntConsumer task) {
        if (fmas < PARALLEL_MIN_FMAS) {
            for (int i = 0; i < tasks; i++) task.accept(i);
        } else {
            Parallel.forEach(tasks, task);
        }
    }

    private static float dot(float[] a, int ao, float[] b, int bo, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            acc = FloatVector.fromArray(F, a, ao + i).fma(FloatVector.fromArray(F, b, bo + i), acc);
        float sum = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) sum += a[ao + i] * b[bo + i];
        return sum;
    }

    /** y[yo .. + n) += alpha x[xo .. + n). */
    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, x, xo + i).fma(a, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    private static void scale(float[] a, int n, float factor) {
        VectorRows.scale(a, 0, n, factor, a, 0);
    }
}
