package dev.gmsa.autograd;

import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;

import java.util.SplittableRandom;

/** Random test tensors with chosen values and memory layouts (create them inside a backend scope). */
public final class Inputs {
    private Inputs() {}

    /** How the test tensor sits in memory; the logical values are the same either way. */
    public enum Layout {
        CONTIGUOUS,
        /** a transposed view of a contiguous copy (rank >= 2) */
        TRANSPOSED,
        /** a narrowed view of a wider tensor along the last axis */
        NARROWED,
        /** a stride-0 view: values repeat along one axis of size > 1 */
        EXPANDED
    }

    /** Where the values come from. */
    public enum Values {
        GAUSSIAN,
        /** in [0.5, 2]: safe for log, sqrt, rsqrt, pow and as a divisor */
        POSITIVE,
        /** |x| in [0.2, 1.5]: central differences with h << 0.2 never cross the kink of relu or abs */
        AWAY_FROM_ZERO;

        float next(SplittableRandom rng) {
            return switch (this) {
                case GAUSSIAN -> (float) (rng.nextDouble(-1, 1) + rng.nextDouble(-1, 1));
                case POSITIVE -> (float) rng.nextDouble(0.5, 2);
                case AWAY_FROM_ZERO -> (float) ((rng.nextBoolean() ? 1 : -1) * rng.nextDouble(0.2, 1.5));
            };
        }
    }

    public static Tensor random(SplittableRandom rng, Layout layout, Values values, int... shape) {
        if (layout == Layout.EXPANDED) return expanded(rng, values, shape);
        float[] data = new float[Shape.numel(shape)];
        for (int i = 0; i < data.length; i++) data[i] = values.next(rng);
        return withLayout(layout, data, shape);
    }

    public static Tensor random(SplittableRandom rng, Layout layout, int... shape) {
        return random(rng, layout, Values.GAUSSIAN, shape);
    }

    /** Pairwise distinct values, at least 0.1 apart (no near-ties for max). */
    static Tensor distinct(SplittableRandom rng, Layout layout, int... shape) {
        int n = Shape.numel(shape);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] data = new float[n];
        for (int i = 0; i < n; i++) data[i] = (order[i] - n / 2f) * 0.1f + (float) rng.nextDouble(0, 0.01);
        return withLayout(layout == Layout.EXPANDED ? Layout.CONTIGUOUS : layout, data, shape);
    }

    /** A tensor with these logical (row-major) values, laid out in memory as {@code layout} says. */
    static Tensor withLayout(Layout layout, float[] data, int[] shape) {
        Tensor t = of(data, shape);
        int rank = shape.length;
        return switch (layout) {
            case TRANSPOSED -> rank >= 2 ? t.mT().contiguous().mT() : t;
            case NARROWED -> {
                if (rank == 0) yield t;
                Tensor pad = Tensor.full(99f, Shape.withAxis(shape, rank - 1, 1));
                yield Tensor.concat(-1, pad, t, pad).narrow(-1, 1, shape[rank - 1]);
            }
            default -> t;
        };
    }

    /** Tensor.of with a shape that may be [] (Tensor.of itself reads an empty shape as "1-D"). */
    static Tensor of(float[] data, int... shape) {
        return Tensor.of(data, shape).reshape(shape);
    }

    private static Tensor expanded(SplittableRandom rng, Values values, int[] shape) {
        int axis = -1;
        for (int i = 0; i < shape.length; i++) if (shape[i] > 1) axis = i;
        if (axis < 0) return random(rng, Layout.CONTIGUOUS, values, shape);
        int[] small = Shape.withAxis(shape, axis, 1);
        return random(rng, Layout.CONTIGUOUS, values, small).expand(shape);
    }

    /** A shape of the given rank with sizes in [1, maxSize]. */
    public static int[] shape(SplittableRandom rng, int rank, int maxSize) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + rng.nextInt(maxSize);
        return s;
    }

    /** A shape that broadcasts to {@code full}: some axes set to 1, maybe some leading axes dropped. */
    static int[] broadcastable(SplittableRandom rng, int[] full) {
        int drop = rng.nextInt(3) == 0 ? rng.nextInt(full.length + 1) : 0;
        int[] s = new int[full.length - drop];
        for (int i = 0; i < s.length; i++) s[i] = rng.nextInt(3) == 0 ? 1 : full[i + drop];
        return s;
    }

    static Tensor ids(SplittableRandom rng, int count, int limit) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) ids[i] = rng.nextInt(limit);
        return Tensor.ofInts(ids);
    }
}
