package dev.gmsa.tensor;

import dev.gmsa.tensor.TestViews.Layout;
import dev.gmsa.tensor.TestViews.Values;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.Supplier;

import static dev.gmsa.tensor.TestViews.view;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The contract every {@link Backend} must meet: each op, run through the public Tensor/Backend API on the
 * backend under test, agrees with the scalar {@link ReferenceBackend} on random shapes with odd sizes,
 * size-1 axes and non-contiguous or BF16/F16 inputs. A backend's test class subclasses this and says which
 * backend it tests.
 *
 * <p>Tolerances: |actual - expected| <= atol + rtol |expected|. Copies, gathers, comparisons and the IEEE
 * ops (+ - * / max min) are exact. Transcendentals get rtol 1e-5 (a few float ulps against the reference's
 * double arithmetic rounded once). Sums are accumulated in float lanes by fast backends, the reference in
 * double: sums get atol 1e-6 per summed element of unit size.
 */
public abstract class BackendContract {
    private static final Backend REFERENCE = ReferenceBackend.instance();
    private static final float EXACT = 0f;

    protected abstract Backend backend();

    @Provide
    Arbitrary<int[]> shapes() {
        return TestViews.shapes(1, 4);
    }

    @Provide
    Arbitrary<int[]> matrices() {
        return TestViews.shapes(2, 2);
    }

    @Provide
    Arbitrary<int[]> atLeast2d() {
        return TestViews.shapes(2, 4);
    }

    @Provide
    Arbitrary<Layout> inputLayouts() {
        return Arbitraries.of(Layout.values());
    }

    @Provide
    Arbitrary<Layout> f32Layouts() {
        return Arbitraries.of(Layout.CONTIGUOUS, Layout.TRANSPOSED, Layout.NARROWED, Layout.EXPANDED, Layout.PERMUTED);
    }

    @Property(tries = 20)
    void iotaNumbersTheElements(@ForAll("shapes") int[] shape) {
        check("iota " + Arrays.toString(shape), EXACT, EXACT, () -> {
            Tensor out = Tensor.empty(Backends.current(), DType.F32, shape);
            Backends.current().iota(out);
            return out;
        });
    }

    @Property(tries = 20)
    void uniformDrawsTheReferenceHashBitForBit(@ForAll("shapes") int[] shape, @ForAll long seed) {
        check("uniform " + Arrays.toString(shape) + " seed " + seed, EXACT, EXACT,
                () -> Tensor.uniform(Backends.current(), seed, shape));
        for (float u : Backends.with(backend(), () -> Tensor.uniform(Backends.current(), seed, shape)).toFloatArray())
            if (!(u >= 0f && u < 1f)) fail("uniform value " + u + " outside [0, 1)");
    }

    // ------------------------------------------------------------------------------------- harness

    /** Runs {@code op} (which builds its inputs from seeds) on the reference and on backend(), and compares. */
    protected void check(String what, float rtol, float atol, Supplier<Tensor> op) {
        Tensor expected = Backends.with(REFERENCE, op);
        Tensor actual = Backends.with(backend(), op);
        assertSame(backend(), actual.backend(), what + ": result is not on the backend under test");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertClose(what, expected.toFloatArray(), actual.toFloatArray(), rtol, atol);
    }

    protected static void assertClose(String what, float[] expected, float[] actual, float rtol, float atol) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (e == a || (Float.isNaN(e) && Float.isNaN(a))) continue;
            if (Float.isNaN(e) || Float.isNaN(a) || !(Math.abs(a - e) <= atol + rtol * Math.abs(e)))
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (rtol " + rtol + ", atol " + atol + ")");
        }
    }

    private static String describe(int[] shape, Layout layout) {
        return Arrays.toString(shape) + " " + layout;
    }

    // ------------------------------------------------------------------------------------- copy, fill, download

    @Property(tries = 40)
    void contiguousCopyOfAnyViewKeepsEveryValue(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                                @ForAll long seed) {
        check("copy " + describe(shape, layout), EXACT, EXACT, () -> view(seed, shape, layout, Values.NORMAL).copy());
        check("contiguous " + describe(shape, layout), EXACT, EXACT, () -> view(seed, shape, layout, Values.NORMAL).contiguous());
    }

    @Property(tries = 30)
    void conversionsRoundToNearestEvenBothWays(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                               @ForAll long seed) {
        for (DType to : new DType[] {DType.BF16, DType.F16, DType.F32}) {
            check("to " + to + " " + describe(shape, layout), EXACT, EXACT,
                    () -> view(seed, shape, layout, Values.NORMAL).mul(1000f).to(to));
            check("to " + to + " and back " + describe(shape, layout), EXACT, EXACT,
                    () -> view(seed, shape, layout, Values.NORMAL).to(to).to(DType.F32));
        }
    }

    @Property(tries = 25)
    void copyIntoStridedDestinationsOfEveryDtype(@ForAll("atLeast2d") int[] shape, @ForAll("f32Layouts") Layout layout,
                                                @ForAll long seed) {
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            check("copyFrom into transposed " + dtype + " " + describe(shape, layout), EXACT, EXACT, () -> {
                int rank = shape.length;
                Tensor dst = Tensor.empty(dtype, TestViews.swapped(shape, rank - 2, rank - 1));
                dst.mT().copyFrom(view(seed, shape, layout, Values.NORMAL));
                return dst.to(DType.F32);
            });
        }
        check("copyFrom a broadcast row into a narrowed view", EXACT, EXACT, () -> {
            Tensor dst = Tensor.zeros(shape[0] + 2, shape[1] + 1);
            dst.narrow(0, 1, shape[0]).narrow(1, 1, shape[1]).copyFrom(view(seed, new int[] {shape[1]}, Layout.CONTIGUOUS, Values.NORMAL));
            return dst;
        });
    }

    @Property(tries = 20)
    void fillWritesOnlyTheView(@ForAll("atLeast2d") int[] shape, @ForAll float value) {
        for (DType dtype : new DType[] {DType.F32, DType.BF16, DType.F16}) {
            check("fill " + dtype + " " + Arrays.toString(shape), EXACT, EXACT, () -> {
                Tensor t = Tensor.zeros(shape).to(dtype);
                int rows = shape[shape.length - 2];
                t.mT().narrow(-1, rows / 2, (rows + 1) / 2).fillInPlace(value);
                return t.to(DType.F32);
            });
        }
        check("full", EXACT, EXACT, () -> Tensor.full(value, shape));
    }

    @Property(tries = 20)
    void intTensorsDownloadAndCopyExactly(@ForAll("shapes") int[] shape, @ForAll long seed) {
        Supplier<Tensor> ids = () -> {
            int[] v = new int[Shape.numel(shape)];
            for (int i = 0; i < v.length; i++) v[i] = (int) ((seed + 31L * i) % 100_000);
            int rank = shape.length;
            return Tensor.ofInts(v, shape).permute(reversed(rank));
        };
        int[] expected = Backends.with(REFERENCE, () -> ids.get().toIntArray());
        int[] actual = Backends.with(backend(), () -> ids.get().toIntArray());
        assertArrayEquals(expected, actual, "toIntArray of a permuted I32 view");
        int[] copied = Backends.with(backend(), () -> ids.get().contiguous().toIntArray());
        assertArrayEquals(expected, copied, "contiguous copy of a permuted I32 view");
        check("I32 view as floats", EXACT, EXACT, () -> ids.get().contiguous().to(DType.F32));
    }

    private static int[] reversed(int rank) {
        int[] order = new int[rank];
        for (int d = 0; d < rank; d++) order[d] = rank - 1 - d;
        return order;
    }

    // ------------------------------------------------------------------------------------- elementwise

    @Property(tries = 25)
    void everyUnaryOpMatchesItsScalarDefinition(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                                @ForAll long seed) {
        for (UnaryOp op : UnaryOp.values()) {
            Values kind = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT ? Values.POSITIVE : Values.NORMAL;
            float scale = op == UnaryOp.EXP || op == UnaryOp.RECIPROCAL ? 1f : 3f; // exercise the tails of tanh, gelu, sigmoid
            boolean exact = op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SQUARE || op == UnaryOp.RELU
                    || op == UnaryOp.RECIPROCAL || op == UnaryOp.SQRT;
            check(op + " " + describe(shape, layout), exact ? EXACT : 1e-5f, exact ? EXACT : 1e-6f,
                    () -> view(seed, shape, layout, kind).mul(kind == Values.POSITIVE ? 1f : scale).map(op));
        }
    }

    @Test
    void unaryOpsFollowTheReferenceOnSpecialValues() {
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 1e-30f, -1e-30f,
                88f, -88f, 100f, -100f, 20f, -20f, 1e30f, -1e30f, 0.5f, -0.5f, 1f};
        for (UnaryOp op : UnaryOp.values())
            check(op + " on special values", 1e-5f, 1e-6f, () -> Tensor.of(special).map(op));
    }

    /** The broadcast patterns a transformer uses: same shape, scalar, bias row, per-row column, outer product. */
    enum Broadcast { SAME, SCALAR, ROW, COLUMN, OUTER, LEADING }

    private static int[] broadcastShape(int[] shape, Broadcast pattern, boolean left) {
        int rank = shape.length;
        int[] s = shape.clone();
        switch (pattern) {
            case SAME -> {}
            case SCALAR -> { if (!left) return new int[0]; }
            case ROW -> { if (!left) return new int[] {shape[rank - 1]}; }
            case COLUMN -> { if (!left) s[rank - 1] = 1; }
            case OUTER -> { if (left) s[rank - 1] = 1; else for (int d = 0; d < rank - 1; d++) s[d] = 1; }
            case LEADING -> { if (!left) s[0] = 1; }
        }
        return s;
    }

    @Property(tries = 25)
    void everyBinaryOpBroadcastsLikeNumpy(@ForAll("shapes") int[] shape, @ForAll Broadcast pattern,
                                          @ForAll("f32Layouts") Layout layoutA, @ForAll("inputLayouts") Layout layoutB,
                                          @ForAll long seed) {
        int[] shapeA = broadcastShape(shape, pattern, true), shapeB = broadcastShape(shape, pattern, false);
        for (BinaryOp op : BinaryOp.values()) {
            Values kindA = op == BinaryOp.POW ? Values.POSITIVE : Values.QUANTISED;
            boolean exact = op != BinaryOp.POW;
            check(op + " " + describe(shapeA, layoutA) + " with " + describe(shapeB, layoutB), exact ? EXACT : 1e-5f, exact ? EXACT : 1e-6f,
                    () -> view(seed, shapeA, layoutA, kindA).zip(op, view(seed + 1, shapeB, layoutB, Values.QUANTISED)));
        }
    }

    @Property(tries = 25)
    void whereSelectsByMaskWithBroadcast(@ForAll("atLeast2d") int[] shape, @ForAll("inputLayouts") Layout layout,
                                         @ForAll long seed) {
        int rank = shape.length;
        int t = shape[rank - 2], s = shape[rank - 1];
        check("maskedFill causal " + describe(shape, layout), EXACT, EXACT,
                () -> view(seed, shape, layout, Values.NORMAL).maskedFill(Tensor.causalMask(t, s, 0), Float.NEGATIVE_INFINITY));
        check("where " + describe(shape, layout), EXACT, EXACT, () -> {
            Tensor mask = view(seed + 1, shape, Layout.PERMUTED, Values.QUANTISED);
            Tensor other = view(seed + 2, new int[] {s}, Layout.CONTIGUOUS, Values.NORMAL);
            return view(seed, shape, layout, Values.NORMAL).where(mask, other);
        });
    }

    // ------------------------------------------------------------------------------------- reductions

    @Property(tries = 30)
    void everyReductionOverEveryAxis(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                     @ForAll long seed) {
        for (int axis = 0; axis < shape.length; axis++) {
            int a = axis;
            float sumTolerance = 1e-6f * shape[axis];
            for (ReduceOp op : ReduceOp.values())
                check(op + " axis " + a + " " + describe(shape, layout), op == ReduceOp.MAX ? EXACT : 1e-5f,
                        op == ReduceOp.MAX ? EXACT : sumTolerance,
                        () -> view(seed, shape, layout, Values.NORMAL).reduce(op, a, true));
            check("argmax axis " + a + " " + describe(shape, layout), EXACT, EXACT,
                    () -> view(seed, shape, layout, Values.QUANTISED).argmax(a, false).to(DType.F32));
        }
        check("sum of all " + describe(shape, layout), 1e-5f, 1e-6f * Shape.numel(shape),
                () -> view(seed, shape, layout, Values.NORMAL).sum());
    }

    @Test
    void argmaxPicksTheFirstMaximumAndTheFirstNan() {
        float nan = Float.NaN;
        float[] rows = {1, 3, 3, 2, /**/ nan, 5, nan, 1, /**/ -1, -1, -1, -1, /**/ 0, 7, nan, 7};
        check("argmax ties and NaN", EXACT, EXACT, () -> Tensor.of(rows, 4, 4).argmax(1, false).to(DType.F32));
        check("argmax ties and NaN on axis 0", EXACT, EXACT, () -> Tensor.of(rows, 4, 4).argmax(0, false).to(DType.F32));
        check("max with NaN", EXACT, EXACT, () -> Tensor.of(rows, 4, 4).max(1, false));
    }

    // ------------------------------------------------------------------------------------- neural-network ops

    @Property(tries = 30)
    void softmaxAndLogSoftmaxOverTheLastAxis(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                             @ForAll @IntRange(min = 1, max = 40) int temperature, @ForAll long seed) {
        check("softmax " + describe(shape, layout), 1e-5f, 1e-7f, () -> view(seed, shape, layout, Values.NORMAL).mul(temperature).softmax());
        check("logSoftmax " + describe(shape, layout), 1e-5f, 1e-5f, () -> view(seed, shape, layout, Values.NORMAL).mul(temperature).logSoftmax());
    }

    @Property(tries = 20)
    void softmaxOfMaskedScoresGivesZeroToMaskedKeys(@ForAll("atLeast2d") int[] shape, @ForAll long seed) {
        int rank = shape.length;
        Supplier<Tensor> masked = () -> view(seed, shape, Layout.PERMUTED, Values.NORMAL)
                .maskedFill(Tensor.causalMask(shape[rank - 2], shape[rank - 1], 0), Float.NEGATIVE_INFINITY);
        check("causal softmax", 1e-5f, 1e-7f, () -> masked.get().softmax());
        check("causal logSoftmax", 1e-5f, 1e-5f, () -> masked.get().logSoftmax());
    }

    @Provide
    Arbitrary<Integer> oddSizes() {
        return Arbitraries.of(1, 3, 15, 17, 31, 33);
    }

    @Property(tries = 30)
    void indexSelectAndEmbeddingGatherFromTablesOfEveryDtype(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                                             @ForAll @IntRange(min = 0, max = 40) int count, @ForAll long seed) {
        for (int axis = 0; axis < shape.length; axis++) {
            int a = axis;
            int[] ids = ids(seed, count, shape[axis]);
            check("indexSelect axis " + a + " " + describe(shape, layout), EXACT, EXACT,
                    () -> view(seed, shape, layout, Values.NORMAL).indexSelect(a, Tensor.ofInts(ids)));
        }
        int[] tableShape = {shape[0], shape[shape.length - 1]};
        int[] tokens = ids(seed, 2 * count, tableShape[0]);
        check("embedding " + describe(tableShape, layout), EXACT, EXACT,
                () -> view(seed, tableShape, layout, Values.NORMAL).embedding(Tensor.ofInts(tokens, 2, count)));
    }

    /** count ids in [0, limit), with repeats. */
    private static int[] ids(long seed, int count, int limit) {
        int[] ids = new int[count];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = 0; i < count; i++) ids[i] = rng.nextInt(limit);
        if (count > 2) ids[count - 1] = ids[0]; // at least one repeat
        return ids;
    }

    @Property(tries = 30)
    void indexAddAccumulatesRepeatedIds(@ForAll("shapes") int[] shape, @ForAll("inputLayouts") Layout layout,
                                        @ForAll @IntRange(min = 0, max = 40) int count, @ForAll long seed) {
        for (int axis = 0; axis < shape.length; axis++) {
            int a = axis;
            int[] ids = ids(seed, count, shape[axis]);
            int[] srcShape = Shape.withAxis(shape, axis, count);
            check("indexAdd axis " + a + " " + describe(shape, layout), 1e-6f, 1e-6f, () -> view(seed, shape, layout, Values.NORMAL)
                    .indexAdd(a, Tensor.ofInts(ids), view(seed + 1, srcShape, Layout.TRANSPOSED, Values.NORMAL)));
        }
    }

    @Property(tries = 25)
    void matmulOfViewsWithBroadcastBatches(@ForAll("oddSizes") int m, @ForAll("oddSizes") int k, @ForAll("oddSizes") int n,
                                           @ForAll("f32Layouts") Layout layoutA, @ForAll boolean transposedB, @ForAll long seed) {
        check("matmul " + m + "x" + k + "x" + n, 1e-5f, 1e-5f * k, () -> {
            Tensor a = view(seed, new int[] {3, m, k}, layoutA, Values.NORMAL);
            Tensor b = transposedB ? view(seed + 1, new int[] {n, k}, Layout.CONTIGUOUS, Values.NORMAL).mT()
                    : view(seed + 1, new int[] {k, n}, Layout.NARROWED, Values.NORMAL);
            return a.matmul(b);
        });
    }

    // ------------------------------------------------------------------------------------- large inputs

    /** Inputs above the parallel threshold, so kernels that split work over threads are checked too. */
    @Test
    void largeInputsAgreeToo() {
        int rows = 5, cols = 20_011;
        Supplier<Tensor> x = () -> view(7, new int[] {rows, cols}, Layout.CONTIGUOUS, Values.NORMAL);
        Supplier<Tensor> xt = () -> view(7, new int[] {rows, cols}, Layout.TRANSPOSED, Values.NORMAL);
        check("large gelu", 1e-5f, 1e-6f, () -> x.get().gelu());
        check("large add row bias", EXACT, EXACT, () -> x.get().add(view(8, new int[] {cols}, Layout.CONTIGUOUS, Values.NORMAL)));
        check("large mul column", EXACT, EXACT, () -> xt.get().mul(view(9, new int[] {rows, 1}, Layout.CONTIGUOUS, Values.NORMAL)));
        check("large copy of transposed", EXACT, EXACT, () -> xt.get().contiguous());
        check("large to bf16", EXACT, EXACT, () -> xt.get().to(DType.BF16).to(DType.F32));
        check("large sum axis 0", 1e-5f, 1e-5f, () -> x.get().sum(0, false));
        check("large sum axis 1", 1e-5f, 1e-2f, () -> x.get().sum(1, false));
        check("large max axis 1", EXACT, EXACT, () -> xt.get().max(1, false));
        check("large argmax", EXACT, EXACT, () -> x.get().argmax(1, false).to(DType.F32));
        check("large softmax", 1e-5f, 1e-8f, () -> x.get().softmax());
        int[] ids = ids(11, 300, cols);
        check("large indexAdd", 1e-6f, 1e-6f, () -> xt.get().mT().indexAdd(0, Tensor.ofInts(ids), view(12, new int[] {300, rows}, Layout.CONTIGUOUS, Values.NORMAL)));
    }
}
