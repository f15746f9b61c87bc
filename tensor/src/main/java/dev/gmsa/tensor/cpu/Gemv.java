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
 * Linear layout), computed as out[m, n] = dot(x[m, :], W[n, :]) straight from the weight memory. Memory-bound,
 * so each weight byte is read once: BF16 rows are loaded as shorts and widened in registers (short lanes ->
 * int -> shift left 16 -> float bits). Threads split the rows of W.
 */
final class Gemv {
    /** Products with at most this many rows of a take this path (W rows then stay in L1/L2 between the rows of a). */
    static final int MAX_ROWS = 4;

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int V = S.length();
    private static final VectorSpecies<Short> HALF = VectorSpecies.of(short.class, VectorShape.forBitSize(V * 16));
    private static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, VectorShape.forBitSize(V * 32));
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Rows of W per thread chunk are at least this many weights, so small products stay on one thread. */
    private static final int MIN_WEIGHTS_PER_CHUNK = 1 << 16;
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
        Parallel.RangeBody rows = (from, to) -> rowBlock(x, m, k, b, from, to, c, cOffset, n);
        if (parallel) Parallel.forRange(n, Math.max(1, MIN_WEIGHTS_PER_CHUNK / Math.max(k, 1)), rows);
        else rows.run(0, n);
    }

    /** Output columns [from, to): four rows of W at a time share each load of x. */
    private static void rowBlock(float[] x, int m, int k, HostMatrix b, int from, int to, float[] c, int cOffset, int n) {
        float[] widened = b.dtype() == DType.F16 && b.floats() == null ? new float[4 * Math.min(k, F16_CHUNK)] : null;
        float[] dots = new float[4];
        int j = from;
        for (; j + 4 <= to; j += 4) {
            for (int i = 0; i < m; i++) {
                dot4(x, i * k, k, b, j, dots, widened);
                for (int r = 0; r < 4; r++) c[cOffset + i * n + j + r] = dots[r];
            }
        }
        for (; j < to; j++)
            for (int i = 0; i < m; i++) c[cOffset + i * n + j] = dot(x, i * k, k, b, b.position(0, j), widened);
    }

    /** dots[r] = x[xOffset .. + k] . W row (j + r), r < 4. */
    private static void dot4(float[] x, int xOffset, int k, HostMatrix b, int j, float[] dots, float[] widened) {
        int p0 = b.position(0, j), p1 = b.position(0, j + 1), p2 = b.position(0, j + 2), p3 = b.position(0, j + 3);
        if (b.floats() != null) dot4F32Array(x, xOffset, k, b.floats(), p0, p1, p2, p3, dots);
        else switch (b.dtype()) {
            case BF16 -> dot4Bf16(x, xOffset, k, b.segment(), p0, p1, p2, p3, dots);
            case F32 -> dot4F32Segment(x, xOffset, k, b.segment(), p0, p1, p2, p3, dots);
            default -> {
                dots[0] = dot(x, xOffset, k, b, p0, widened);
                dots[1] = dot(x, xOffset, k, b, p1, widened);
                dots[2] = dot(x, xOffset, k, b, p2, widened);
                dots[3] = dot(x, xOffset, k, b, p3, widened);
            }
        }
    }

    private static void dot4Bf16(float[] x, int xo, int k, MemorySegment w, int p0, int p1, int p2, int p3, float[] dots) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int bound = S.loopBound(k), i = 0;
        for (; i < bound; i += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            s0 = bf16(w, p0 + i).fma(xv, s0);
            s1 = bf16(w, p1 + i).fma(xv, s1);
            s2 = bf16(w, p2 + i).fma(xv, s2);
            s3 = bf16(w, p3 + i).fma(xv, s3);
        }
        float t0 = s0.reduceLanes(VectorOperators.ADD), t1 = s1.reduceLanes(VectorOperators.ADD);
        float t2 = s2.reduceLanes(VectorOperators.ADD), t3 = s3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            float xi = x[xo + i];
            t0 += xi * bf16(w.getAtIndex(U16, p0 + i));
            t1 += xi * bf16(w.getAtIndex(U16, p1 + i));
            t2 += xi * bf16(w.getAtIndex(U16, p2 + i));
            t3 += xi * bf16(w.getAtIndex(U16, p3 + i));
        }
        dots[0] = t0; dots[1] = t1; dots[2] = t2; dots[3] = t3;
    }

    /** V BF16 values at element {@code index} widened in registers: the BF16 bits are the top half of the F32 bits. */
    private static FloatVector bf16(MemorySegment w, long index) {
        ShortVector bits = ShortVector.fromMemorySegment(HALF, w, index * 2, ByteOrder.LITTLE_ENDIAN);
        IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, INT, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static float bf16(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    private static void dot4F32Array(float[] x, int xo, int k, float[] w, int p0, int p1, int p2, int p3, float[] dots) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int bound = S.loopBound(k), i = 0;
        for (; i < bound; i += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            s0 = FloatVector.fromArray(S, w, p0 + i).fma(xv, s0);
            s1 = FloatVector.fromArray(S, w, p1 + i).fma(xv, s1);
            s2 = FloatVector.fromArray(S, w, p2 + i).fma(xv, s2);
            s3 = FloatVector.fromArray(S, w, p3 + i).fma(xv, s3);
        }
        float t0 = s0.reduceLanes(VectorOperators.ADD), t1 = s1.reduceLanes(VectorOperators.ADD);
        float t2 = s2.reduceLanes(VectorOperators.ADD), t3 = s3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            float xi = x[xo + i];
            t0 += xi * w[p0 + i]; t1 += xi * w[p1 + i]; t2 += xi * w[p2 + i]; t3 += xi * w[p3 + i];
        }
        dots[0] = t0; dots[1] = t1; dots[2] = t2; dots[3] = t3;
    }

    private static void dot4F32Segment(float[] x, int xo, int k, MemorySegment w, int p0, int p1, int p2, int p3, float[] dots) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
        int bound = S.loopBound(k), i = 0;
        for (; i < bound; i += V) {
            FloatVector xv = FloatVector.fromArray(S, x, xo + i);
            s0 = f32(w, p0 + i).fma(xv, s0);
            s1 = f32(w, p1 + i).fma(xv, s1);
            s2 = f32(w, p2 + i).fma(xv, s2);
            s3 = f32(w, p3 + i).fma(xv, s3);
        }
        float t0 = s0.reduceLanes(VectorOperators.ADD), t1 = s1.reduceLanes(VectorOperators.ADD);
        float t2 = s2.reduceLanes(VectorOperators.ADD), t3 = s3.reduceLanes(VectorOperators.ADD);
        for (; i < k; i++) {
            float xi = x[xo + i];
            t0 += xi * w.getAtIndex(F32, p0 + i); t1 += xi * w.getAtIndex(F32, p1 + i);
            t2 += xi * w.getAtIndex(F32, p2 + i); t3 += xi * w.getAtIndex(F32, p3 + i);
        }
        dots[0] = t0; dots[1] = t1; dots[2] = t2; dots[3] = t3;
    }

    private static FloatVector f32(MemorySegment w, long index) {
        return FloatVector.fromMemorySegment(S, w, index * 4, ByteOrder.LITTLE_ENDIAN);
    }

    /** One dot product x[xo .. + k] . (W row starting at position p) for any dtype, widening F16 chunk by chunk. */
    private static float dot(float[] x, int xo, int k, HostMatrix b, int p, float[] widened) {
        if (b.floats() != null) {
            float[] tmp = new float[4];
            dot4F32Array(x, xo, k, b.floats(), p, p, p, p, tmp);
            return tmp[0];
        }
        return switch (b.dtype()) {
            case BF16 -> { float[] t = new float[4]; dot4Bf16(x, xo, k, b.segment(), p, p, p, p, t); yield t[0]; }
            case F32 -> { float[] t = new float[4]; dot4F32Segment(x, xo, k, b.segment(), p, p, p, p, t); yield t[0]; }
            default -> dotF16(x, xo, k, b.segment(), p, widened);
        };
    }

    private static float dotF16(float[] x, int xo, int k, MemorySegment w, int p, float[] widened) {
        FloatVector sum = FloatVector.zero(S);
        float tail = 0;
        for (int k0 = 0; k0 < k; k0 += F16_CHUNK) {
            int len = Math.min(F16_CHUNK, k - k0);
            for (int i = 0; i < len; i++) widened[i] = Float.float16ToFloat(w.getAtIndex(U16, p + k0 + i));
            int bound = S.loopBound(len), i = 0;
            for (; i < bound; i += V)
                sum = FloatVector.fromArray(S, widened, i).fma(FloatVector.fromArray(S, x, xo + k0 + i), sum);
            for (; i < len; i++) tail += widened[i] * x[xo + k0 + i];
        }
        return sum.reduceLanes(VectorOperators.ADD) + tail;
    }
}
