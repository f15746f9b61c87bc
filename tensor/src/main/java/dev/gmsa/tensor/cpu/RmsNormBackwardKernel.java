package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The backward of {@link NormKernels#rmsNorm} in one pass per row over contiguous F32 x and dOut (instead of ten
 * composed elementwise ops and reductions): r = 1 / sqrt(mean(x^2) + eps), xhat = x r, g = dOut * w,
 * dx = r (g - xhat mean(g xhat)), dWeight = sum over rows of dOut * xhat (per-thread partial sums, added at the
 * end). Other layouts return false and the caller runs the composed default.
 */
final class RmsNormBackwardKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private RmsNormBackwardKernel() {}

    static boolean backward(Tensor x, Tensor weight, float eps, Tensor dOut, Tensor dx, Tensor dWeight) {
        float[] xs = StridedLoops.denseArray(x), dys = StridedLoops.denseArray(dOut), dxs = StridedLoops.denseArray(dx);
        if (xs == null || dys == null || dxs == null || (dWeight != null && StridedLoops.denseArray(dWeight) == null)) return false;
        int d = x.size(-1), rows = x.numel() / Math.max(d, 1);
        if (d == 0 || rows == 0) return true;
        float[] w = StridedLoops.toArray(weight);
        int chunks = Math.max(1, Math.min(Parallel.threads(), rows * d / (1 << 14)));
        float[][] partialDw = new float[chunks][];
        Parallel.forEach(chunks, c -> {
            float[] dw = dWeight == null ? null : new float[d];
            for (int row = rows * c / chunks; row < rows * (c + 1) / chunks; row++)
                backwardRow(xs, x.offset() + row * d, dys, dOut.offset() + row * d, w, d, eps, dxs, dx.offset() + row * d, dw);
            partialDw[c] = dw;
        });
        if (dWeight != null) {
            float[] out = StridedLoops.denseArray(dWeight);
            java.util.Arrays.fill(out, dWeight.offset(), dWeight.offset() + d, 0f);
            for (float[] part : partialDw) VectorRows.addInto(part, 0, d, out, dWeight.offset());
        }
        return true;
    }

    private static void backwardRow(float[] x, int xo, float[] dy, int yo, float[] w, int d, float eps, float[] dx, int dxo, float[] dw) {
        float r = (float) (1.0 / Math.sqrt(VectorRows.sumOfSquares(x, xo, d) / d + eps));
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(d);
        for (; i < bound; i += F.length()) // sum of g * x
            acc = FloatVector.fromArray(F, dy, yo + i).mul(FloatVector.fromArray(F, w, i)).fma(FloatVector.fromArray(F, x, xo + i), acc);
        float gDotX = acc.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
        for (; i < d; i++) gDotX += dy[yo + i] * w[i] * x[xo + i];
        float meanGXhat = gDotX * r / d, xhatScale = r * meanGXhat; // dx = r g - x r^2 mean(g xhat)
        for (i = 0; i < bound; i += F.length()) {
            FloatVector xv = FloatVector.fromArray(F, x, xo + i), dyv = FloatVector.fromArray(F, dy, yo + i);
            dyv.mul(FloatVector.fromArray(F, w, i)).mul(r).sub(xv.mul(r * xhatScale)).intoArray(dx, dxo + i);
            if (dw != null) dyv.fma(xv.mul(r), FloatVector.fromArray(F, dw, i)).intoArray(dw, i);
        }
        for (; i < d; i++) {
            dx[dxo + i] = dy[yo + i] * w[i] * r - x[xo + i] * r * xhatScale;
            if (dw != null) dw[i] += dy[yo + i] * x[xo + i] * r;
        }
    }
}
