package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** RMS normalisation over the last axis: out = x / sqrt(mean(x^2) + eps) * weight. */
final class NormKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private NormKernels() {}

    /** x [..., D], weight [D] of any floating dtype (widened once per call), out [..., D] contiguous F32. */
    static void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "rmsNorm");
        int base = out.offset(), n = x.size(-1);
        Blocks rows = Blocks.rows(x);
        if (n == 0 || rows.count == 0) return;
        float[] w = StridedLoops.toArray(weight);
        StridedLoops.forRows(rows.count, n, 3, (s, e) -> {
            for (int r = s; r < e; r++) {
                Blocks.Row row = rows.row(r, 0, n, 0);
                rmsNormRow(row.data(), row.offset(), n, w, eps, dst, base + r * n);
            }
        });
    }

    static void rmsNormRow(float[] x, int xo, int n, float[] w, float eps, float[] out, int oo) {
        float scale = (float) (1.0 / Math.sqrt(VectorRows.sumOfSquares(x, xo, n) / n + eps));
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, x, xo + i).mul(scale).mul(FloatVector.fromArray(F, w, i)).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = x[xo + i] * scale * w[i];
    }
}
