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
    /** Query rows per (batch, kv head) task from which transposing the keys pays off (decode has 1 to a few). */
    private static final int PACK_MIN_ROWS = 8;

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
        int batch = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), kvHeads = k.size(1), s = k.size(2);
        int group = heads / kvHeads, splits = rowSplits(batch * kvHeads, t);
        java.util.function.IntConsumer task = i -> {
            int bk = i / splits, split = i % splits, b = bk / kvHeads, kvHead = bk % kvHeads;
            int rowFrom = t * split / splits, rowTo = t * (split + 1) / splits;
            if (rowTo == rowFrom) return;
            float[] scores = new float[KEY_BLOCK], acc = new float[hd];
            // many rows share this kv head: transpose its keys once so scores come out KEY_BLOCK at a time
            KeysT keysT = group * (rowTo - rowFrom) >= PACK_MIN_ROWS
                    ? KeysT.pack(kr, b, kvHead, visibleKeys(s, causalOffset, rowTo - 1), hd) : null;
            for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                for (int row = rowFrom; row < rowTo; row++)
                    forwardRow(qr, kr, keysT, vr, or, lse, b, h, kvHead, row, visibleKeys(s, causalOffset, row), hd, scale, scores, acc);
        };
        runTasks(batch * kvHeads * splits, (long) batch * heads * t * Math.min(s, causalOffset + t) * hd, task);
        finish(outW, out);
        finish(lseW, logSumExp);
    }

    /** One query row: online softmax over blocks of keys; writes out[b, h, t] and its log-sum-exp. */
    private static void forwardRow(Rows q, Rows k, KeysT keysT, Rows v, Rows out, Rows lse, int b, int h, int kvHead, int t,
                                   int visible, int hd, float scale, float[] scores, float[] acc) {
        int qo = q.at(b, h, t), vBase = v.at(b, kvHead, 0);
        float max = Float.NEGATIVE_INFINITY, sum = 0f;
        Arrays.fill(acc, 0f);
        for (int s0 = 0; s0 < visible; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visible - s0);
            scores(q.data, qo, k, keysT, b, kvHead, s0, n, hd, scale, scores);
            float blockMax = VectorRows.max(scores, 0, n);
            if (blockMax > max) { // rescale what was accumulated under the old maximum
                float correction = (float) Math.exp(max - blockMax);
                sum *= correction;
                VectorRows.scale(acc, 0, hd, correction, acc, 0);
                max = blockMax;
            }
            sum += VectorRows.expInto(scores, 0, n, max, scores, 0);
            addWeightedRows(scores, n, v.data, vBase + s0 * v.s2(), v.s2(), acc, 0, hd);
        }
        VectorRows.scale(acc, 0, hd, 1f / sum, out.data, out.at(b, h, t));
        if (lse != null) lse.data[lse.at(b, h, t)] = max + (float) Math.log(sum);
    }

    /** scores[j] = scale x . k[b, kvHead, s0 + j] for j < n, from the transposed keys when there are some. */
    private static void scores(float[] x, int xo, Rows k, KeysT keysT, int b, int kvHead, int s0, int n, int hd, float scale,
                               float[] scores) {
        if (keysT != null) {
            for (int c = 0; c < n; c += F.length()) keysT.dotChunk(x, xo, s0 + c, scale, scores, c);
            return;
        }
        for (int j = 0; j < n; j++) scores[j] = dot(x, xo, k.data, k.at(b, kvHead, s0 + j), hd) * scale;
    }

    /**
     * Keys [0, count) of one (batch, kv head) transposed to [hd][stride] (stride a whole number of vectors, zero
     * padded), so one vector FMA per head dimension advances F.length() scores at once.
     */
    private record KeysT(float[] data, int stride, int hd) {
        static KeysT pack(Rows k, int b, int kvHead, int count, int hd) {
            int stride = (count + F.length() - 1) / F.length() * F.length();
            float[] data = new float[hd * stride];
            for (int s = 0; s < count; s++) {
                int ko = k.at(b, kvHead, s);
                for (int d = 0; d < hd; d++) data[d * stride + s] = k.data[ko + d];
            }
            return new KeysT(data, stride, hd);
        }

        /** out[oo .. + F.length()) = scale x . key (col + i): four partial sums break the FMA dependency chain. */
        void dotChunk(float[] x, int xo, int col, float scale, float[] out, int oo) {
            FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
            int d = 0;
            for (; d + 4 <= hd; d += 4) {
                a0 = FloatVector.fromArray(F, data, d * stride + col).fma(FloatVector.broadcast(F, x[xo + d]), a0);
                a1 = FloatVector.fromArray(F, data, (d + 1) * stride + col).fma(FloatVector.broadcast(F, x[xo + d + 1]), a1);
                a2 = FloatVector.fromArray(F, data, (d + 2) * stride + col).fma(FloatVector.broadcast(F, x[xo + d + 2]), a2);
                a3 = FloatVector.fromArray(F, data, (d + 3) * stride + col).fma(FloatVector.broadcast(F, x[xo + d + 3]), a3);
            }
            for (; d < hd; d++) a0 = FloatVector.fromArray(F, data, d * stride + col).fma(FloatVector.broadcast(F, x[xo + d]), a0);
            a0.add(a1).add(a2.add(a3)).mul(scale).intoArray(out, oo);
        }
    }

    /**
     * acc[ao .. + hd) += sum over j < n of w[j] * row j, rows starting at rowBase with rowStride. Each vector of acc
     * stays in registers across the rows, with four partial sums against the FMA latency.
     */
    private static void addWeightedRows(float[] w, int n, float[] rows, int rowBase, int rowStride, float[] acc, int ao, int hd) {
        int bound = F.loopBound(hd);
        for (int c = 0; c < bound; c += F.length()) {
            FloatVector a0 = FloatVector.fromArray(F, acc, ao + c), a1 = FloatVector.zero(F), a2 = a1, a3 = a1;
            int j = 0, ro = rowBase + c;
            for (; j + 4 <= n; j += 4, ro += 4 * rowStride) {
                a0 = FloatVector.fromArray(F, rows, ro).fma(FloatVector.broadcast(F, w[j]), a0);
                a1 = FloatVector.fromArray(F, rows, ro + rowStride).fma(FloatVector.broadcast(F, w[j + 1]), a1);
                a2 = FloatVector.fromArray(F, rows, ro + 2 * rowStride).fma(FloatVector.broadcast(F, w[j + 2]), a2);
                a3 = FloatVector.fromArray(F, rows, ro + 3 * rowStride).fma(FloatVector.broadcast(F, w[j + 3]), a3);
            }
            for (; j < n; j++, ro += rowStride) a0 = FloatVector.fromArray(F, rows, ro).fma(FloatVector.broadcast(F, w[j]), a0);
            a0.add(a1).add(a2.add(a3)).intoArray(acc, ao + c);
        }
        for (int d = bound; d < hd; d++) {
            float a = acc[ao + d];
            for (int j = 0; j < n; j++) a += w[j] * rows[rowBase + j * rowStride + d];
            acc[ao + d] = a;
        }
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
            int visibleMax = visibleKeys(s, causalOffset, t - 1);
            KeysT keysT = KeysT.pack(kr, b, kvHead, visibleMax, hd), valuesT = KeysT.pack(vr, b, kvHead, visibleMax, hd);
            float[] probs = new float[KEY_BLOCK], ds = new float[KEY_BLOCK];
            for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                for (int row = 0; row < t; row++)
                    backwardRow(qr, kr, keysT, valuesT, or, lse, gr, dqr, dkr, dvr, b, h, kvHead, row,
                            visibleKeys(s, causalOffset, row), hd, scale, probs, ds);
        };
        runTasks(batch * kvHeads, 2L * batch * heads * t * Math.min(s, causalOffset + t) * hd, task);
        finish(dqW, dq);
        finish(dkW, dk);
        finish(dvW, dv);
    }

    private static void backwardRow(Rows q, Rows k, KeysT keysT, KeysT valuesT, Rows out, Rows lse, Rows dOut, Rows dq, Rows dk,
                                    Rows dv, int b, int h, int kvHead, int t, int visible, int hd, float scale, float[] probs, float[] ds) {
        int qo = q.at(b, h, t), go = dOut.at(b, h, t), dqo = dq.at(b, h, t);
        float rowLse = lse.data[lse.at(b, h, t)];
        float rowDot = dot(dOut.data, go, out.data, out.at(b, h, t), hd);
        Arrays.fill(dq.data, dqo, dqo + hd, 0f);
        for (int s0 = 0; s0 < visible; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visible - s0);
            for (int c = 0; c < n; c += F.length()) {
                keysT.dotChunk(q.data, qo, s0 + c, scale, probs, c);
                valuesT.dotChunk(dOut.data, go, s0 + c, 1f, ds, c);  // dOut_t . v_s
            }
            VectorRows.expInto(probs, 0, n, rowLse, probs, 0);
            for (int j = 0; j < n; j++) ds[j] = scale * probs[j] * (ds[j] - rowDot);
            addWeightedRows(ds, n, k.data, k.at(b, kvHead, s0), k.s2(), dq.data, dqo, hd);
            for (int j = 0; j < n; j++) {
                axpy(probs[j], dOut.data, go, dv.data, dv.at(b, kvHead, s0 + j), hd);
                axpy(ds[j], q.data, qo, dk.data, dk.at(b, kvHead, s0 + j), hd);
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

}
