package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The decode hot path: a few rows x [K] times b = W.mT(), where W [N, K] has contiguous rows (the Hugging Face
 * Linear layout), computed as out[m, n] = dot(x[m, :], W[n, :]) straight from the weight memory.
 * <p>
 * Memory-bound, so the kernel is shaped around how the weights stream in: each thread walks its rows of W one after
 * another, front to back, so the hardware prefetcher sees a single sequential stream (interleaving four rows, the
 * first design, ran at a third of the bandwidth on the dev VM: 9 vs 25-30 GB/s on a 32000 x 288 LM head). Inside a
 * row, four independent accumulators keep several loads in flight. When a has more than one row, each W row is
 * used for all of them while it sits in L1. BF16 rows are loaded as shorts and widened in registers (short lanes
 * -> int -> shift left 16 -> float bits). Threads split the rows of W into contiguous ranges.
 */
final class Gemv {
    /** Products with at most this many rows of a take this path (W rows then stay in L1/L2 between the rows of a). */
    static final int MAX_ROWS = 4;

    /**
     * At most 256-bit vectors: on the dev VM (Zen 4, whose 512-bit operations are split in two) a model-like sweep
     * of F32 products streamed from DRAM ran 15-20% faster with 256-bit loads than with 512-bit ones.
     */
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256
            ? FloatVector.SPECIES_256 : FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    /** Floats per step of the unrolled loop: four vectors, one per accumulator. */
    private static final int STEP = 4 * V;
    private static final VectorSpecies<Short> HALF = VectorSpecies.of(short.class, VectorShape.forBitSize(V * 16));
    private static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, VectorShape.forBitSize(V * 32));
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /**
     * Rows of W per thread chunk are at least this many weights (128 KB of F32), so tiny products stay on one thread
     * while stories15M's 288 x 288 projections already split at 2 threads (the hand-off costs well under a
     * microsecond, the half product ~8 us). -Dgemv.chunk overrides it for tuning.
     */
    private static final int MIN_WEIGHTS_PER_CHUNK = Math.max(1, Integer.getInteger("gemv.chunk", 1 << 15));
    /** Row ranges per thread at most, for big matrices (see {@link #tasks}). */
    private static final int TASKS_PER_THREAD = 4;
    /** F16 has no vector widening in the Vector API: rows are widened through a float buffer of this size. */
    private static final int F16_CHUNK = 1024;

    private Gemv() {}

    /** True when b [K, N] is a transposed weight whose columns (rows of W) are contiguous. */
    static boolean applies(int m, HostMatrix b) {
        return m <= MAX_ROWS && (b.rowStride() == 1 || b.rows() == 1) && b.dtype() != DType.I32;
    }

    /** c[cOffset + i * n + j] = sum_k a[i, k] * b[k, j]  for a [m, k], b [k, n] (see {@link #applies}). */
    static void multiply(HostMatrix a, HostMatrix b, float[] c, int cOffset, boolean parallel) {
        int m = a.rows(), k = a.cols(), n = b.cols();
        float[] x = new float[m * k];
        for (int i = 0; i < m; i++) a.readRun(i, 0, true, k, x, i * k, 1);
        int tasks = parallel ? tasks(n, k) : 1;
        Parallel.forEach(tasks, t -> rowRange(x, m, k, b, (int) ((long) n * t / tasks), (int) ((long) n * (t + 1) / tasks), c, cOffset, n));
    }

    /**
     * How many contiguous row ranges to cut W into: one per thread once each gets {@link #MIN_WEIGHTS_PER_CHUNK}
     * weights, and up to {@link #TASKS_PER_THREAD} per thread for big matrices, so that when a thread is descheduled
     * (a shared machine) the others take over its ranges instead of waiting for it. Always a multiple of the thread
     * count, so a quiet machine splits evenly.
     */
    private static int tasks(int n, int k) {
        int threads = Parallel.threads();
        long perThread = (long) n * k / threads;
        if (threads == 1 || perThread < MIN_WEIGHTS_PER_CHUNK) return 1;
        return threads * (int) Math.max(1, Math.min(TASKS_PER_THREAD, Math.min(perThread / MIN_WEIGHTS_PER_CHUNK, n / threads)));
    }

    /** Output columns [from, to): W rows j in order, each dotted with every row of x while it is in L1. */
    private static void rowRange(float[] x, int m, int k, HostMatrix b, int from, int to, float[] c, int cOffset, int n) {
        float[] w = b.floats();
        MemorySegment segment = b.segment();
        float[] widened = w == null && b.dtype() == DType.F16 ? new float[Math.min(k, F16_CHUNK)] : null;
        for (int j = from; j < to; j++) {
            int p = b.position(0, j);
            for (int i = 0; i < m; i++) {
                c[cOffset + i * n + j] = w != null ? dotF32(x, i * k, k, w, p) : switch (b.dtype()) {
                    case F32 -> dotF32(x, i * k, k, segment, p);
                    case BF16 -> dotBf16(x, i * k, k, segment, p);
                    default -> dotF16(x, i * k, k, segment, p, widened);
                };
            }
        }
    }

    /** x[xo .. + k] . w[p .. + k] with four accumulators (the loads of a step are issued before its multiply-adds). */
    private static float dotF32(float[] x, int xo, int k, float[] w, int p) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = k - k % STEP; i < bound; i += STEP) {
            FloatVector w0 = FloatVector.fromArray(S, w, p + i), w1 = FloatVector.fromArray(S, w, p + i + V);
            FloatVector w2 = FloatVector.fromArray(S, w, p + i + 2 * V), w3 = FloatVector.fromArray(S, w, p + i + 3 * V);
            s0 = w0.fma(FloatVector.fromArray(S, x, xo + i), s0);
            s1 = w1.fma(FloatVector.fromArray(S, x, xo + i + V), s1);
            s2 = w2.fma(FloatVector.fromArray(S, x, xo + i + 2 * V), s2);
            s3 = w3.fma(FloatVector.fromArray(S, x, xo + i + 3 * V), s3);
        }
        for (int bound = S.loopBound(k); i < bound; i += V)
            s0 = FloatVector.fromArray(S, w, p + i).fma(FloatVector.fromArray(S, x, xo + i), s0);
        float t = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) t += x[xo + i] * w[p + i];
        return t;
    }

    /** The same over F32 weights in a memory segment (a mapped checkpoint). */
    private static float dotF32(float[] x, int xo, int k, MemorySegment w, int p) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = k - k % STEP; i < bound; i += STEP) {
            FloatVector w0 = f32(w, p + i), w1 = f32(w, p + i + V), w2 = f32(w, p + i + 2 * V), w3 = f32(w, p + i + 3 * V);
            s0 = w0.fma(FloatVector.fromArray(S, x, xo + i), s0);
            s1 = w1.fma(FloatVector.fromArray(S, x, xo + i + V), s1);
            s2 = w2.fma(FloatVector.fromArray(S, x, xo + i + 2 * V), s2);
            s3 = w3.fma(FloatVector.fromArray(S, x, xo + i + 3 * V), s3);
        }
        for (int bound = S.loopBound(k); i < bound; i += V) s0 = f32(w, p + i).fma(FloatVector.fromArray(S, x, xo + i), s0);
        float t = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) t += x[xo + i] * w.getAtIndex(F32, p + i);
        return t;
    }

    private static FloatVector f32(MemorySegment w, long index) {
        return FloatVector.fromMemorySegment(S, w, index * 4, ByteOrder.LITTLE_ENDIAN);
    }

    /** BF16 weights, widened in registers. */
    private static float dotBf16(float[] x, int xo, int k, MemorySegment w, int p) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        for (int bound = k - k % STEP; i < bound; i += STEP) {
            FloatVector w0 = bf16(w, p + i), w1 = bf16(w, p + i + V), w2 = bf16(w, p + i + 2 * V), w3 = bf16(w, p + i + 3 * V);
            s0 = w0.fma(FloatVector.fromArray(S, x, xo + i), s0);
            s1 = w1.fma(FloatVector.fromArray(S, x, xo + i + V), s1);
            s2 = w2.fma(FloatVector.fromArray(S, x, xo + i + 2 * V), s2);
            s3 = w3.fma(FloatVector.fromArray(S, x, xo + i + 3 * V), s3);
        }
        for (int bound = S.loopBound(k); i < bound; i += V) s0 = bf16(w, p + i).fma(FloatVector.fromArray(S, x, xo + i), s0);
        float t = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) t += x[xo + i] * Float.intBitsToFloat(w.getAtIndex(U16, p + i) << 16);
        return t;
    }

    /** V BF16 values at element {@code index} widened in registers: the BF16 bits are the top half of the F32 bits. */
    private static FloatVector bf16(MemorySegment w, long index) {
        ShortVector bits = ShortVector.fromMemorySegment(HALF, w, index * 2, ByteOrder.LITTLE_ENDIAN);
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, INT, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** F16 weights, widened chunk by chunk through {@code widened}. */
    private static float dotF16(float[] x, int xo, int k, MemorySegment w, int p, float[] widened) {
        float t = 0;
        for (int k0 = 0; k0 < k; k0 += F16_CHUNK) {
            int len = Math.min(F16_CHUNK, k - k0);
            for (int i = 0; i < len; i++) widened[i] = Float.float16ToFloat(w.getAtIndex(U16, p + k0 + i));
            t += dotF32(x, xo + k0, len, widened, 0);
        }
        return t;
    }
}
