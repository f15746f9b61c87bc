package dev.gmsa.tensor;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

import java.util.SplittableRandom;

/**
 * Inputs for backend tests: seeded values laid out as contiguous tensors or as non-contiguous views
 * (transposed, narrowed with an offset, expanded with stride 0, permuted, BF16/F16). Everything is built
 * through the public Tensor API on {@link Backends#current()}, so the same seed gives the same logical
 * values on every backend.
 */
final class TestViews {
    /** Sizes that hit vector tails: below, at and just past multiples of 16 lanes. */
    static final int[] ODD_SIZES = {1, 3, 15, 17, 31, 33, 63, 65, 127, 129};
    static final int MAX_ELEMENTS = 1 << 15;

    private TestViews() {}

    enum Layout { CONTIGUOUS, TRANSPOSED, NARROWED, EXPANDED, PERMUTED, BF16_TRANSPOSED, F16 }

    enum Values {
        /** N(0, 1). */
        NORMAL,
        /** |N(0, 1)| + 0.1, for log, sqrt, rsqrt, pow bases. */
        POSITIVE,
        /** Multiples of 0.5 in [-3, 3]: ties for max/argmax, equal pairs for EQ, exact in BF16. */
        QUANTISED
    }

    /** Shapes of rank 1 to 4 with dimensions from {@link #ODD_SIZES}, at most {@link #MAX_ELEMENTS} elements. */
    static Arbitrary<int[]> shapes(int minRank, int maxRank) {
        return Arbitraries.of(1, 3, 15, 17, 31, 33, 63, 65, 127, 129).list().ofMinSize(minRank).ofMaxSize(maxRank)
                .map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .filter(s -> (long) Shape.numel(s) <= MAX_ELEMENTS);
    }

    static float[] values(long seed, int n, Values kind) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
            v[i] = switch (kind) {
                case NORMAL -> (float) g;
                case POSITIVE -> (float) (Math.abs(g) + 0.1);
                case QUANTISED -> Math.round(Math.max(-3, Math.min(3, g * 1.5)) * 2) / 2f;
            };
        }
        return v;
    }

    /** A tensor of logical shape {@code shape} holding seeded values, stored in the given layout. */
    static Tensor view(long seed, int[] shape, Layout layout, Values kind) {
        int rank = shape.length;
        if (rank == 0) return Tensor.of(values(seed, 1, kind), 1).reshape(); // Tensor.of with no shape is 1-D
        return switch (layout) {
            case CONTIGUOUS -> Tensor.of(values(seed, Shape.numel(shape), kind), shape);
            case TRANSPOSED -> rank < 2 ? view(seed, shape, Layout.NARROWED, kind)
                    : view(seed, swapped(shape, 0, rank - 1), Layout.CONTIGUOUS, kind).transpose(0, rank - 1);
            case NARROWED -> narrowed(seed, shape, kind);
            case EXPANDED -> expanded(seed, shape, kind);
            case PERMUTED -> permuted(seed, shape, kind);
            case BF16_TRANSPOSED -> rank < 2 ? view(seed, shape, Layout.CONTIGUOUS, kind).to(DType.BF16)
                    : view(seed, swapped(shape, rank - 2, rank - 1), Layout.CONTIGUOUS, kind).to(DType.BF16).mT();
            case F16 -> view(seed, shape, Layout.NARROWED, kind).to(DType.F16);
        };
    }

    static int[] swapped(int[] shape, int a, int b) {
        int[] s = shape.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        return s;
    }

    /** Every axis padded by 2 and narrowed back from index 1: a non-zero offset and outer strides. */
    private static Tensor narrowed(long seed, int[] shape, Values kind) {
        int[] padded = shape.clone();
        for (int d = 0; d < padded.length; d++) padded[d] += 2;
        Tensor t = view(seed, padded, Layout.CONTIGUOUS, kind);
        for (int d = 0; d < shape.length; d++) t = t.narrow(d, 1, shape[d]);
        return t;
    }

    /** The first axis longer than 1 comes from a size-1 axis broadcast with stride 0. */
    private static Tensor expanded(long seed, int[] shape, Values kind) {
        int axis = 0;
        while (axis < shape.length - 1 && shape[axis] == 1) axis++;
        int[] small = shape.clone();
        if (small.length > 0) small[axis] = 1;
        return view(seed, small, Layout.CONTIGUOUS, kind).expand(shape);
    }

    /** Stored with the axes reversed, then permuted back: no axis keeps stride 1 unless it is size 1. */
    private static Tensor permuted(long seed, int[] shape, Values kind) {
        int rank = shape.length;
        int[] stored = new int[rank], back = new int[rank];
        for (int d = 0; d < rank; d++) {
            stored[d] = shape[rank - 1 - d];
            back[d] = rank - 1 - d;
        }
        return view(seed, stored, Layout.CONTIGUOUS, kind).permute(back);
    }
}
