package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The CPU kernel of fused causal attention (the op, its checks and autograd rule: autograd's {@code fused/Attention}) for q [B, H, T, hd] and k, v [B, KV, S, hd].
 * Forward: each query row walks its visible keys in blocks of {@link #KEY_BLOCK} with an online softmax (running
 * max and denominator, the accumulator rescaled when the max grows), so at most one block of scores exists at a
 * time and the [T, S] matrix never does. Grouped-query heads are handled by index (query head h reads kv head
 * h / group), never by copying K and V. When many query rows share a kv head (prefill, training), its keys are
 * transposed once and {@link #TILE} rows at a time meet each key block in register-blocked loops, like a GEMM
 * micro-kernel; decode rows read the keys in place. Backward recomputes each block of probabilities from the saved
 * log-sum-exp (FlashAttention-2) and accumulates dq, dk, dv tile by tile.
 */
public final class AttentionKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Keys per block of scores: 64 floats stay in registers/L1 next to one query row. */
    static final int KEY_BLOCK = 64;
    /**
     * Below this many multiply-adds the whole call runs on the calling thread. A parallel region costs well under a
     * microsecond ({@link WorkerPool}), so decode of a small model (stories15M: 6 heads x 48 dims) splits its heads
     * over the threads from about 60 cached positions on.
     */
    private static final long PARALLEL_MIN_FMAS = 1L << 14;
    /** Query rows per (batch, kv head) task from which transposing the keys pays off (decode has 1 to a few). */
    private static final int PACK_MIN_ROWS = 8;
    /** Keys transposed together by {@link KeysT#pack}: 16 floats are one 64-byte cache line. */
    private static final int PACK_RUN = 16;

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

    public static void forward(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        Tensor outW = writable(out), lseW = writable(logSumExp);
        Rows qr = Rows.of(readable(q)), kr = Rows.of(readable(k)), vr = Rows.of(readable(v)), or = Rows.of(outW);
        Rows lse = lseW == null ? null : Rows.of(lseW.unsqueeze(3));
        int batch = q.size(0), heads = q.size(1), t = q.size(2), hd = q.size(3), kvHeads = k.size(1), s = k.size(2);
        int group = heads / kvHeads, splits = rowSplits(batch * kvHeads, t);
        java.util.function.IntConsumer task = i -> {
            int bk = i / splits, split = i % splits, b = bk / kvHeads, kvHead = bk % kvHeads;
            int rowFrom = t * split / splits, rowTo = t * (split + 1) / splits;
            if (rowTo == rowFrom) return;
            if (group * (rowTo - rowFrom) < PACK_MIN_ROWS) { // decode: a row or two, keys read in place
                float[] scores = new float[KEY_BLOCK], acc = new float[hd];
                for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                    for (int row = rowFrom; row < rowTo; row++)
                        forwardRow(qr, kr, vr, or, lse, b, h, kvHead, row, visibleKeys(s, causalOffset, row), hd, scale, scores, acc);
                return;
            }
            // many rows share this kv head: transpose its keys once, then TILE rows at a time against each key block
            KeysT keysT = KeysT.pack(kr, b, kvHead, visibleKeys(s, causalOffset, rowTo - 1), hd);
            Tile tile = new Tile(hd);
            for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                for (int row = rowFrom; row < rowTo; row += TILE)
                    forwardTile(qr, keysT, vr, or, lse, b, h, kvHead, row, Math.min(TILE, rowTo - row), s, causalOffset, scale, tile);
        };
        runTasks(batch * kvHeads * splits, (long) batch * heads * t * Math.min(s, causalOffset + t) * hd, task);
        finish(outW, out);
        finish(lseW, logSumExp);
    }

    /** One query row (the decode case): online softmax over blocks of keys; writes out[b, h, t] and its log-sum-exp. */
    private static void forwardRow(Rows q, Rows k, Rows v, Rows out, Rows lse, int b, int h, int kvHead, int t,
                                   int visible, int hd, float scale, float[] scores, float[] acc) {
        int qo = q.at(b, h, t), vBase = v.at(b, kvHead, 0);
        float max = Float.NEGATIVE_INFINITY, sum = 0f;
        Arrays.fill(acc, 0f);
        for (int s0 = 0; s0 < visible; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visible - s0);
            for (int j = 0; j < n; j++) scores[j] = dot(q.data, qo, k.data, k.at(b, kvHead, s0 + j), hd) * scale;
            float blockMax = VectorRows.max(scores, 0, n);
            if (blockMax > max) { // rescale what was accumulated under the old maximum
                float correction = (float) Math.exp(max - blockMax);
                sum *= correction;
                VectorRows.scale(acc, 0, hd, correction, acc, 0);
                max = blockMax;
            }
            sum += VectorRows.expInto(scores, 0, n, max, scores, 0);
            for (int j = 0; j < n; j++) axpy(scores[j], v.data, v.at(b, kvHead, s0 + j), acc, 0, hd);
        }
        VectorRows.scale(acc, 0, hd, 1f / sum, out.data, out.at(b, h, t));
        if (lse != null) lse.data[lse.at(b, h, t)] = max + (float) Math.log(sum);
    }

    /**
     * Up to TILE consecutive query rows [t0, t0 + rows) of head h, FlashAttention style: per block of keys, the
     * [TILE, KEY_BLOCK] scores (register-blocked like a GEMM micro-kernel), each row's online-softmax update, then
     * the weighted sum of the block's value rows into the rows' accumulators.
     */
    private static void forwardTile(Rows q, KeysT keysT, Rows v, Rows out, Rows lse, int b, int h, int kvHead, int t0, int rows,
                                    int keys, int causalOffset, float scale, Tile tile) {
        int hd = tile.hd;
        tile.start(q, b, h, t0, rows);
        int visibleMax = visibleKeys(keys, causalOffset, t0 + rows - 1), vBase = v.at(b, kvHead, 0);
        for (int s0 = 0; s0 < visibleMax; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visibleMax - s0);
            keysT.scoreTile(q.data, tile.rowOffsets, s0, n, scale, tile.scores);
            for (int r = 0; r < TILE; r++) {
                int o = r * KEY_BLOCK, valid = r < rows ? Math.clamp(visibleKeys(keys, causalOffset, t0 + r) - s0, 0, n) : 0;
                Arrays.fill(tile.scores, o + valid, o + n, 0f); // causally masked (or padding) keys get probability 0
                if (valid == 0) continue;
                float blockMax = VectorRows.max(tile.scores, o, valid);
                if (blockMax > tile.max[r]) {
                    float correction = (float) Math.exp(tile.max[r] - blockMax);
                    tile.sum[r] *= correction;
                    VectorRows.scale(tile.acc, r * hd, hd, correction, tile.acc, r * hd);
                    tile.max[r] = blockMax;
                }
                tile.sum[r] += VectorRows.expInto(tile.scores, o, valid, tile.max[r], tile.scores, o);
            }
            addWeightedRowsTile(tile.scores, n, v.data, vBase + s0 * v.s2(), v.s2(), tile.acc, hd);
        }
        for (int r = 0; r < rows; r++) {
            VectorRows.scale(tile.acc, r * hd, hd, 1f / tile.sum[r], out.data, out.at(b, h, t0 + r));
            if (lse != null) lse.data[lse.at(b, h, t0 + r)] = tile.max[r] + (float) Math.log(tile.sum[r]);
        }
    }

    /** Query rows handled together and their running state; rows past the last real one repeat it (and are dropped). */
    static final int TILE = 4;

    private static final class Tile {
        final int hd;
        final int[] rowOffsets = new int[TILE];
        final float[] scores = new float[TILE * KEY_BLOCK], second = new float[TILE * KEY_BLOCK];
        final float[] max = new float[TILE], sum = new float[TILE], acc;

        Tile(int hd) {
            this.hd = hd;
            this.acc = new float[TILE * hd];
        }

        void start(Rows x, int b, int h, int t0, int rows) {
            for (int r = 0; r < TILE; r++) rowOffsets[r] = x.at(b, h, t0 + Math.min(r, rows - 1));
            Arrays.fill(max, Float.NEGATIVE_INFINITY);
            Arrays.fill(sum, 0f);
            Arrays.fill(acc, 0f);
        }
    }

    /**
     * Keys [0, count) of one (batch, kv head) transposed to [hd][stride] (zero padded to whole key blocks), so one
     * vector FMA per head dimension advances F.length() scores of a row at once.
     */
    private record KeysT(float[] data, int stride, int hd) {
        static KeysT pack(Rows k, int b, int kvHead, int count, int hd) {
            // one spare vector: a power-of-two stride would put every dimension's row in the same few cache sets
            int stride = (count + KEY_BLOCK - 1) / KEY_BLOCK * KEY_BLOCK + F.length();
            float[] data = new float[hd * stride];
            int[] rowOffsets = new int[PACK_RUN];
            // PACK_RUN keys at a time: their rows stay in L1 and each dimension's run of them fills one cache line
            for (int s0 = 0; s0 < count; s0 += PACK_RUN) {
                int n = Math.min(PACK_RUN, count - s0);
                for (int j = 0; j < n; j++) rowOffsets[j] = k.at(b, kvHead, s0 + j);
                for (int d = 0, o = s0; d < hd; d++, o += stride)
                    for (int j = 0; j < n; j++) data[o + j] = k.data[rowOffsets[j] + d];
            }
            return new KeysT(data, stride, hd);
        }

        /**
         * out[r * KEY_BLOCK + j] = scale x_r . key (s0 + j) for the TILE rows x_r = x[rowOffsets[r] ..] and j < n,
         * two vectors of keys per pass (eight independent FMA chains hide the FMA latency). Up to a whole block may be
         * written; entries past n are padding.
         */
        void scoreTile(float[] x, int[] rowOffsets, int s0, int n, float scale, float[] out) {
            int x0 = rowOffsets[0], x1 = rowOffsets[1], x2 = rowOffsets[2], x3 = rowOffsets[3], v = F.length();
            for (int c = 0; c < n; c += 2 * v) {
                FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
                for (int d = 0, o = s0 + c; d < hd; d++, o += stride) {
                    FloatVector keyA = FloatVector.fromArray(F, data, o), keyB = FloatVector.fromArray(F, data, o + v);
                    FloatVector q0 = FloatVector.broadcast(F, x[x0 + d]), q1 = FloatVector.broadcast(F, x[x1 + d]);
                    FloatVector q2 = FloatVector.broadcast(F, x[x2 + d]), q3 = FloatVector.broadcast(F, x[x3 + d]);
                    a0 = keyA.fma(q0, a0);
                    a1 = keyA.fma(q1, a1);
                    a2 = keyA.fma(q2, a2);
                    a3 = keyA.fma(q3, a3);
                    b0 = keyB.fma(q0, b0);
                    b1 = keyB.fma(q1, b1);
                    b2 = keyB.fma(q2, b2);
                    b3 = keyB.fma(q3, b3);
                }
                a0.mul(scale).intoArray(out, c);
                a1.mul(scale).intoArray(out, KEY_BLOCK + c);
                a2.mul(scale).intoArray(out, 2 * KEY_BLOCK + c);
                a3.mul(scale).intoArray(out, 3 * KEY_BLOCK + c);
                b0.mul(scale).intoArray(out, c + v);
                b1.mul(scale).intoArray(out, KEY_BLOCK + c + v);
                b2.mul(scale).intoArray(out, 2 * KEY_BLOCK + c + v);
                b3.mul(scale).intoArray(out, 3 * KEY_BLOCK + c + v);
            }
        }
    }

    /**
     * acc[r * hd ..] += sum over j < n of w[r * KEY_BLOCK + j] * row j for the TILE rows (value rows start at rowBase,
     * rowStride apart). Each row's vector of acc stays in a register while the value rows stream past.
     */
    private static void addWeightedRowsTile(float[] w, int n, float[] rows, int rowBase, int rowStride, float[] acc, int hd) {
        int bound = F.loopBound(hd), v = F.length(), c = 0;
        for (; c + 2 * v <= bound; c += 2 * v) { // two vectors of each row per pass: eight independent FMA chains
            FloatVector a0 = FloatVector.fromArray(F, acc, c), a1 = FloatVector.fromArray(F, acc, hd + c);
            FloatVector a2 = FloatVector.fromArray(F, acc, 2 * hd + c), a3 = FloatVector.fromArray(F, acc, 3 * hd + c);
            FloatVector b0 = FloatVector.fromArray(F, acc, c + v), b1 = FloatVector.fromArray(F, acc, hd + c + v);
            FloatVector b2 = FloatVector.fromArray(F, acc, 2 * hd + c + v), b3 = FloatVector.fromArray(F, acc, 3 * hd + c + v);
            for (int j = 0, ro = rowBase + c; j < n; j++, ro += rowStride) {
                FloatVector rowA = FloatVector.fromArray(F, rows, ro), rowB = FloatVector.fromArray(F, rows, ro + v);
                FloatVector w0 = FloatVector.broadcast(F, w[j]), w1 = FloatVector.broadcast(F, w[KEY_BLOCK + j]);
                FloatVector w2 = FloatVector.broadcast(F, w[2 * KEY_BLOCK + j]), w3 = FloatVector.broadcast(F, w[3 * KEY_BLOCK + j]);
                a0 = rowA.fma(w0, a0);
                a1 = rowA.fma(w1, a1);
                a2 = rowA.fma(w2, a2);
                a3 = rowA.fma(w3, a3);
                b0 = rowB.fma(w0, b0);
                b1 = rowB.fma(w1, b1);
                b2 = rowB.fma(w2, b2);
                b3 = rowB.fma(w3, b3);
            }
            a0.intoArray(acc, c);
            a1.intoArray(acc, hd + c);
            a2.intoArray(acc, 2 * hd + c);
            a3.intoArray(acc, 3 * hd + c);
            b0.intoArray(acc, c + v);
            b1.intoArray(acc, hd + c + v);
            b2.intoArray(acc, 2 * hd + c + v);
            b3.intoArray(acc, 3 * hd + c + v);
        }
        for (; c < bound; c += v) {
            FloatVector a0 = FloatVector.fromArray(F, acc, c), a1 = FloatVector.fromArray(F, acc, hd + c);
            FloatVector a2 = FloatVector.fromArray(F, acc, 2 * hd + c), a3 = FloatVector.fromArray(F, acc, 3 * hd + c);
            for (int j = 0, ro = rowBase + c; j < n; j++, ro += rowStride) {
                FloatVector row = FloatVector.fromArray(F, rows, ro);
                a0 = row.fma(FloatVector.broadcast(F, w[j]), a0);
                a1 = row.fma(FloatVector.broadcast(F, w[KEY_BLOCK + j]), a1);
                a2 = row.fma(FloatVector.broadcast(F, w[2 * KEY_BLOCK + j]), a2);
                a3 = row.fma(FloatVector.broadcast(F, w[3 * KEY_BLOCK + j]), a3);
            }
            a0.intoArray(acc, c);
            a1.intoArray(acc, hd + c);
            a2.intoArray(acc, 2 * hd + c);
            a3.intoArray(acc, 3 * hd + c);
        }
        c = addWeightedRowsHalf(w, n, rows, rowBase, rowStride, acc, hd, c);
        for (int d = c; d < hd; d++)
            for (int r = 0; r < TILE; r++) {
                float a = acc[r * hd + d];
                for (int j = 0; j < n; j++) a += w[r * KEY_BLOCK + j] * rows[rowBase + j * rowStride + d];
                acc[r * hd + d] = a;
            }
    }

    /**
     * 256-bit vectors for the columns a full vector no longer covers (small heads: with hd = 8 that is all of them).
     * A constant, never a parameter: the JIT compiles Vector API code to SIMD only for species it can see.
     */
    private static final VectorSpecies<Float> HALF = FloatVector.SPECIES_256;

    /** {@link #addWeightedRowsTile} on columns [c, ..) in HALF vectors while whole ones fit; returns the next column. */
    private static int addWeightedRowsHalf(float[] w, int n, float[] rows, int rowBase, int rowStride, float[] acc, int hd, int c) {
        final VectorSpecies<Float> s = HALF;
        if (s.length() >= F.length()) return c;
        for (; c + s.length() <= hd; c += s.length()) {
            FloatVector a0 = FloatVector.fromArray(s, acc, c), a1 = FloatVector.fromArray(s, acc, hd + c);
            FloatVector a2 = FloatVector.fromArray(s, acc, 2 * hd + c), a3 = FloatVector.fromArray(s, acc, 3 * hd + c);
            for (int j = 0, ro = rowBase + c; j < n; j++, ro += rowStride) {
                FloatVector row = FloatVector.fromArray(s, rows, ro);
                a0 = row.fma(FloatVector.broadcast(s, w[j]), a0);
                a1 = row.fma(FloatVector.broadcast(s, w[KEY_BLOCK + j]), a1);
                a2 = row.fma(FloatVector.broadcast(s, w[2 * KEY_BLOCK + j]), a2);
                a3 = row.fma(FloatVector.broadcast(s, w[3 * KEY_BLOCK + j]), a3);
            }
            a0.intoArray(acc, c);
            a1.intoArray(acc, hd + c);
            a2.intoArray(acc, 2 * hd + c);
            a3.intoArray(acc, 3 * hd + c);
        }
        return c;
    }

    // ---------------------------------------------------------------- backward

    /**
     * dq, dk, dv of {@link #forward}. One task per (batch, kv head) owns dk and dv of that head, so the query
     * heads of its group add into them without races. Per visible (t, s): p = exp(scale q.k - lse),
     * dv_s += p dOut_t, ds = scale p (dOut_t.v_s - dOut_t.out_t), dq_t += ds k_s, dk_s += ds q_t;
     * TILE query rows at a time against each block of keys, as in the forward.
     */
    public static void backward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale, int causalOffset,
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
            Tile tile = new Tile(hd), dOutTile = new Tile(hd);
            for (int h = kvHead * group; h < (kvHead + 1) * group; h++)
                for (int row = 0; row < t; row += TILE)
                    backwardTile(qr, kr, keysT, valuesT, or, lse, gr, dqr, dkr, dvr, b, h, kvHead, row, Math.min(TILE, t - row),
                            s, causalOffset, scale, tile, dOutTile);
        };
        runTasks(batch * kvHeads, 2L * batch * heads * t * Math.min(s, causalOffset + t) * hd, task);
        finish(dqW, dq);
        finish(dkW, dk);
        finish(dvW, dv);
    }

    private static void backwardTile(Rows q, Rows k, KeysT keysT, KeysT valuesT, Rows out, Rows lse, Rows dOut, Rows dq, Rows dk,
                                     Rows dv, int b, int h, int kvHead, int t0, int rows, int keys, int causalOffset, float scale,
                                     Tile tile, Tile dOutTile) {
        int hd = tile.hd;
        tile.start(q, b, h, t0, rows);           // acc collects dq
        dOutTile.start(dOut, b, h, t0, rows);
        float[] probs = tile.scores, ds = tile.second;
        for (int r = 0; r < rows; r++) {
            tile.max[r] = lse.data[lse.at(b, h, t0 + r)];
            tile.sum[r] = dot(dOut.data, dOutTile.rowOffsets[r], out.data, out.at(b, h, t0 + r), hd); // dOut_t . out_t
        }
        int visibleMax = visibleKeys(keys, causalOffset, t0 + rows - 1), kBase = k.at(b, kvHead, 0);
        for (int s0 = 0; s0 < visibleMax; s0 += KEY_BLOCK) {
            int n = Math.min(KEY_BLOCK, visibleMax - s0);
            keysT.scoreTile(q.data, tile.rowOffsets, s0, n, scale, probs);
            valuesT.scoreTile(dOut.data, dOutTile.rowOffsets, s0, n, 1f, ds); // dOut_t . v_s
            for (int r = 0; r < TILE; r++) {
                int o = r * KEY_BLOCK, valid = r < rows ? Math.clamp(visibleKeys(keys, causalOffset, t0 + r) - s0, 0, n) : 0;
                VectorRows.expInto(probs, o, valid, tile.max[r], probs, o);
                for (int j = 0; j < valid; j++) ds[o + j] = scale * probs[o + j] * (ds[o + j] - tile.sum[r]);
                Arrays.fill(probs, o + valid, o + n, 0f);
                Arrays.fill(ds, o + valid, o + n, 0f);
            }
            addWeightedRowsTile(ds, n, k.data, kBase + s0 * k.s2(), k.s2(), tile.acc, hd);
            addOuterProductsTile(probs, dOut.data, dOutTile.rowOffsets, dv, b, kvHead, s0, n, hd);
            addOuterProductsTile(ds, q.data, tile.rowOffsets, dk, b, kvHead, s0, n, hd);
        }
        for (int r = 0; r < rows; r++) System.arraycopy(tile.acc, r * hd, dq.data, dq.at(b, h, t0 + r), hd);
    }

    /** target row (s0 + j) += sum over the TILE rows r of w[r * KEY_BLOCK + j] x_r, for j < n. */
    private static void addOuterProductsTile(float[] w, float[] x, int[] rowOffsets, Rows target, int b, int kvHead, int s0, int n, int hd) {
        int bound = F.loopBound(hd), x0 = rowOffsets[0], x1 = rowOffsets[1], x2 = rowOffsets[2], x3 = rowOffsets[3];
        for (int j = 0; j < n; j++) {
            FloatVector w0 = FloatVector.broadcast(F, w[j]), w1 = FloatVector.broadcast(F, w[KEY_BLOCK + j]);
            FloatVector w2 = FloatVector.broadcast(F, w[2 * KEY_BLOCK + j]), w3 = FloatVector.broadcast(F, w[3 * KEY_BLOCK + j]);
            int to = target.at(b, kvHead, s0 + j);
            for (int c = 0; c < bound; c += F.length()) {
                FloatVector a = FloatVector.fromArray(F, target.data, to + c);
                a = FloatVector.fromArray(F, x, x0 + c).fma(w0, a);
                a = FloatVector.fromArray(F, x, x1 + c).fma(w1, a);
                a = FloatVector.fromArray(F, x, x2 + c).fma(w2, a);
                a = FloatVector.fromArray(F, x, x3 + c).fma(w3, a);
                a.intoArray(target.data, to + c);
            }
            int c = addOuterProductHalf(w, j, x, rowOffsets, target.data, to, hd, bound);
            for (int d = c; d < hd; d++)
                target.data[to + d] += w[j] * x[x0 + d] + w[KEY_BLOCK + j] * x[x1 + d]
                        + w[2 * KEY_BLOCK + j] * x[x2 + d] + w[3 * KEY_BLOCK + j] * x[x3 + d];
        }
    }

    /** One target row's columns [c, ..) of {@link #addOuterProductsTile} in HALF vectors; returns the next column. */
    private static int addOuterProductHalf(float[] w, int j, float[] x, int[] rowOffsets, float[] target, int to, int hd, int c) {
        final VectorSpecies<Float> s = HALF;
        if (s.length() >= F.length()) return c;
        FloatVector w0 = FloatVector.broadcast(s, w[j]), w1 = FloatVector.broadcast(s, w[KEY_BLOCK + j]);
        FloatVector w2 = FloatVector.broadcast(s, w[2 * KEY_BLOCK + j]), w3 = FloatVector.broadcast(s, w[3 * KEY_BLOCK + j]);
        for (; c + s.length() <= hd; c += s.length()) {
            FloatVector a = FloatVector.fromArray(s, target, to + c);
            a = FloatVector.fromArray(s, x, rowOffsets[0] + c).fma(w0, a);
            a = FloatVector.fromArray(s, x, rowOffsets[1] + c).fma(w1, a);
            a = FloatVector.fromArray(s, x, rowOffsets[2] + c).fma(w2, a);
            a = FloatVector.fromArray(s, x, rowOffsets[3] + c).fma(w3, a);
            a.intoArray(target, to + c);
        }
        return c;
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

    /** y[yo .. + n) += alpha x[xo .. + n). */
    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        FloatVector a = FloatVector.broadcast(F, alpha);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, x, xo + i).fma(a, FloatVector.fromArray(F, y, yo + i)).intoArray(y, yo + i);
        for (; i < n; i++) y[yo + i] += alpha * x[xo + i];
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


}
