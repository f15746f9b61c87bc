package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.RopeLayout;
import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Rotary position embedding of x [..., T, D] with angle tables cos, sin [T, D/2]: each pair (x0, x1) of a
 * row at position t turns by its angle, (x0 c - x1 s, x1 c + x0 s); {@code inverse} turns by -angle.
 * HALF_SPLIT pairs i with i + D/2 (two contiguous halves); INTERLEAVED pairs 2i with 2i + 1, done on whole
 * vectors as out = x * cos2 + swapPairs(x) * sin2 with tables widened to D per position:
 * cos2 = (c0, c0, c1, c1, ...), sin2 = (-s0, s0, -s1, s1, ...).
 */
final class RopeKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lane i takes lane i ^ 1: (x0, x1, x2, x3, ...) becomes (x1, x0, x3, x2, ...). */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);

    private RopeKernel() {}

    static void rope(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "rope");
        int base = out.offset(), d = x.size(-1), t = x.size(-2), half = d / 2;
        Blocks rows = Blocks.rows(x);
        if (d == 0 || rows.count == 0) return;
        float[] c = StridedLoops.toArray(cos), s = StridedLoops.toArray(sin);
        if (inverse) for (int i = 0; i < s.length; i++) s[i] = -s[i];
        if (layout == RopeLayout.HALF_SPLIT) {
            StridedLoops.forRows(rows.count, d, 2, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    Blocks.Row row = rows.row(r, 0, d, 0);
                    rotateHalves(row.data(), row.offset(), half, c, s, (r % t) * half, dst, base + r * d);
                }
            });
        } else {
            float[] cos2 = new float[t * d], sin2 = new float[t * d];
            for (int p = 0; p < t * half; p++) {
                cos2[2 * p] = cos2[2 * p + 1] = c[p];
                sin2[2 * p] = -s[p];
                sin2[2 * p + 1] = s[p];
            }
            StridedLoops.forRows(rows.count, d, 2, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    Blocks.Row row = rows.row(r, 0, d, 0);
                    rotatePairs(row.data(), row.offset(), d, cos2, sin2, (r % t) * d, dst, base + r * d);
                }
            });
        }
    }

    /** x0 = x[0, half), x1 = x[half, d): out0 = x0 c - x1 s, out1 = x1 c + x0 s; c, s at table[to ..]. */
    private static void rotateHalves(float[] x, int xo, int half, float[] c, float[] s, int to, float[] out, int oo) {
        int i = 0, bound = F.loopBound(half);
        for (; i < bound; i += F.length()) {
            FloatVector x0 = FloatVector.fromArray(F, x, xo + i), x1 = FloatVector.fromArray(F, x, xo + half + i);
            FloatVector cv = FloatVector.fromArray(F, c, to + i), sv = FloatVector.fromArray(F, s, to + i);
            x0.mul(cv).sub(x1.mul(sv)).intoArray(out, oo + i);
            x1.mul(cv).add(x0.mul(sv)).intoArray(out, oo + half + i);
        }
        for (; i < half; i++) {
            float x0 = x[xo + i], x1 = x[xo + half + i], cv = c[to + i], sv = s[to + i];
            out[oo + i] = x0 * cv - x1 * sv;
            out[oo + half + i] = x1 * cv + x0 * sv;
        }
    }

    /** out[j] = x[j] cos2[j] + x[j ^ 1] sin2[j] (pairs never straddle a vector: lanes are even). */
    private static void rotatePairs(float[] x, int xo, int d, float[] cos2, float[] sin2, int to, float[] out, int oo) {
        int j = 0, bound = F.loopBound(d);
        for (; j < bound; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + j);
            v.mul(FloatVector.fromArray(F, cos2, to + j))
                    .add(v.rearrange(SWAP_PAIRS).mul(FloatVector.fromArray(F, sin2, to + j)))
                    .intoArray(out, oo + j);
        }
        for (; j < d; j++) out[oo + j] = x[xo + j] * cos2[to + j] + x[xo + (j ^ 1)] * sin2[to + j];
    }
}
