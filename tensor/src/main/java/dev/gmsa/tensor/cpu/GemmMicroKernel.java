package dev.gmsa.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register-tiled inner kernel: C[MR, NR] (+)= A micro-panel [kc][MR] x B micro-panel [kc][NR], both packed
 * by {@link PackedPanels}. NR = 2 vectors; MR is as many rows as the vector registers hold accumulators for:
 * with AVX-512's 32 registers MR = 12 (24 accumulators; each k step loads two B vectors, broadcasts 12 A values and
 * issues 24 FMAs), with AVX2's 16 registers MR = 6 (12 accumulators + 2 B + 1 broadcast = 15: twelve rows there
 * spill accumulators to the stack every k step, a 4x slowdown measured on a Zen 3 VM).
 * (Measured on a Zen 4 VM: 12 x 2 reached about 95% of the FMA peak with panels in cache, 8 x 3 about 80%.)
 * {@code -Dgemm.mr=6|12} overrides the choice.
 */
final class GemmMicroKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int V = S.length();
    static final int MR = rows(Integer.getInteger("gemm.mr", V >= 16 ? 12 : 6));
    static final int NR = 2 * V;
    private GemmMicroKernel() {}

    private static int rows(int mr) {
        if (mr != 6 && mr != 12) throw new IllegalArgumentException("-Dgemm.mr must be 6 or 12, got " + mr);
        return mr;
    }

    /** A full tile: c[ci + r * ldc + j] (+)= sum_k ap[ai + k * MR + r] * bp[bi + k * NR + j] for r < MR, j < NR. */
    static void tile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean accumulate) {
        if (MR == 6) tile6(kc, ap, ai, bp, bi, c, ci, ldc, accumulate);
        else tile12(kc, ap, ai, bp, bi, c, ci, ldc, accumulate);
    }

    /** Six rows for 16-register machines (AVX2). */
    private static void tile6(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        for (int k = 0; k < kc; k++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            ai += 6;
            bi += NR;
        }
        store(c00, c, ci + 0 * ldc, accumulate); store(c01, c, ci + 0 * ldc + V, accumulate);
        store(c10, c, ci + 1 * ldc, accumulate); store(c11, c, ci + 1 * ldc + V, accumulate);
        store(c20, c, ci + 2 * ldc, accumulate); store(c21, c, ci + 2 * ldc + V, accumulate);
        store(c30, c, ci + 3 * ldc, accumulate); store(c31, c, ci + 3 * ldc + V, accumulate);
        store(c40, c, ci + 4 * ldc, accumulate); store(c41, c, ci + 4 * ldc + V, accumulate);
        store(c50, c, ci + 5 * ldc, accumulate); store(c51, c, ci + 5 * ldc + V, accumulate);
    }

    /**
     * Twelve rows for 32-register machines (AVX-512).
     * The vectors never leave this method, so C2 keeps them in registers (storing them into an array would box them).
     */
    private static void tile12(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc, boolean accumulate) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z, c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
        for (int k = 0; k < kc; k++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bi), b1 = FloatVector.fromArray(S, bp, bi + V);
            FloatVector a;
            a = FloatVector.broadcast(S, ap[ai + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[ai + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[ai + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[ai + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[ai + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[ai + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[ai + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[ai + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, ap[ai + 8]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, ap[ai + 9]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, ap[ai + 10]); ca0 = a.fma(b0, ca0); ca1 = a.fma(b1, ca1);
            a = FloatVector.broadcast(S, ap[ai + 11]); cb0 = a.fma(b0, cb0); cb1 = a.fma(b1, cb1);
            ai += 12;
            bi += NR;
        }
        store(c00, c, ci + 0 * ldc, accumulate); store(c01, c, ci + 0 * ldc + V, accumulate);
        store(c10, c, ci + 1 * ldc, accumulate); store(c11, c, ci + 1 * ldc + V, accumulate);
        store(c20, c, ci + 2 * ldc, accumulate); store(c21, c, ci + 2 * ldc + V, accumulate);
        store(c30, c, ci + 3 * ldc, accumulate); store(c31, c, ci + 3 * ldc + V, accumulate);
        store(c40, c, ci + 4 * ldc, accumulate); store(c41, c, ci + 4 * ldc + V, accumulate);
        store(c50, c, ci + 5 * ldc, accumulate); store(c51, c, ci + 5 * ldc + V, accumulate);
        store(c60, c, ci + 6 * ldc, accumulate); store(c61, c, ci + 6 * ldc + V, accumulate);
        store(c70, c, ci + 7 * ldc, accumulate); store(c71, c, ci + 7 * ldc + V, accumulate);
        store(c80, c, ci + 8 * ldc, accumulate); store(c81, c, ci + 8 * ldc + V, accumulate);
        store(c90, c, ci + 9 * ldc, accumulate); store(c91, c, ci + 9 * ldc + V, accumulate);
        store(ca0, c, ci + 10 * ldc, accumulate); store(ca1, c, ci + 10 * ldc + V, accumulate);
        store(cb0, c, ci + 11 * ldc, accumulate); store(cb1, c, ci + 11 * ldc + V, accumulate);
    }

    /**
     * A tile cut by the matrix edge: only rows < {@code rows} and columns < {@code cols} of C are written. The
     * full tile goes to {@code scratch} (MR * NR floats) first; packing zero-padded the missing rows and columns.
     */
    static void edgeTile(int kc, float[] ap, int ai, float[] bp, int bi, float[] c, int ci, int ldc,
                         int rows, int cols, boolean accumulate, float[] scratch) {
        tile(kc, ap, ai, bp, bi, scratch, 0, NR, false);
        for (int r = 0; r < rows; r++) {
            int from = r * NR, to = ci + r * ldc;
            if (accumulate) for (int j = 0; j < cols; j++) c[to + j] += scratch[from + j];
            else System.arraycopy(scratch, from, c, to, cols);
        }
    }

    private static void store(FloatVector v, float[] c, int at, boolean accumulate) {
        (accumulate ? v.add(FloatVector.fromArray(S, c, at)) : v).intoArray(c, at);
    }
}
