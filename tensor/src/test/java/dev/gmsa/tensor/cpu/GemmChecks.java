package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.fail;

/** Shared helpers of the matrix-kernel tests: operands in any dtype/layout and the comparison with the reference. */
final class GemmChecks {
    private GemmChecks() {}

    /** A [rows, cols] operand in {@code dtype}; {@code transposed} stores it as [cols, rows] and returns the .mT() view. */
    static Tensor operand(long seed, DType dtype, boolean transposed, int rows, int cols) {
        Tensor t = transposed ? Tensor.randn(seed, 1f, cols, rows).to(dtype).mT() : Tensor.randn(seed, 1f, rows, cols).to(dtype);
        return t;
    }

    /** A [rows, cols] view in the middle of a larger matrix (non-zero offset, row stride larger than cols). */
    static Tensor narrowed(long seed, DType dtype, int rows, int cols) {
        return Tensor.randn(seed, 1f, rows + 3, cols + 5).to(dtype).narrow(0, 2, rows).narrow(1, 3, cols);
    }

    /** Runs the fast kernel on expanded operands and checks it against the scalar reference, element by element. */
    static void checkAgainstReference(Tensor a, Tensor b) {
        int[] outShape = a.shape();
        outShape[outShape.length - 1] = b.size(-1);
        Tensor actual = Tensor.empty(DType.F32, outShape), expected = Tensor.empty(DType.F32, outShape);
        Gemm.matmul(a, b, actual);
        ReferenceBackend.instance().matmul(a, b, expected);
        float[] bound = absProductSums(a, b);
        float[] got = actual.toFloatArray(), want = expected.toFloatArray();
        for (int i = 0; i < got.length; i++) {
            // float accumulation in a different order: error grows with sum_k |a||b|, not with |result|
            double tolerance = 1e-5 * bound[i] + 1e-6;
            if (!(Math.abs(got[i] - want[i]) <= tolerance))
                fail("matmul " + a + " x " + b + ": element " + i + " is " + got[i] + ", reference " + want[i]
                        + " (tolerance " + tolerance + ")");
        }
    }

    /** sum_k |a[.., i, k]| * |b[.., k, j]| for every output element (the scale of its rounding error). */
    private static float[] absProductSums(Tensor a, Tensor b) {
        int m = a.size(-2), k = a.size(-1), n = b.size(-1);
        float[] av = a.toFloatArray(), bv = b.toFloatArray();
        int batches = av.length / Math.max(m * k, 1);
        if (k == 0) batches = Arrays.stream(a.shape()).limit(a.rank() - 2).reduce(1, (x, y) -> x * y);
        float[] out = new float[batches * m * n];
        for (int t = 0; t < batches; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += Math.abs(av[(t * m + i) * k + p]) * Math.abs(bv[(t * k + p) * n + j]);
                    out[(t * m + i) * n + j] = (float) s;
                }
        return out;
    }

    /** Runs body with the worker count set to {@code threads}, restoring the old count after. */
    static void withThreads(int threads, Runnable body) {
        int old = Parallel.threads();
        Parallel.setThreads(threads);
        try {
            body.run();
        } finally {
            Parallel.setThreads(old);
        }
    }
}
