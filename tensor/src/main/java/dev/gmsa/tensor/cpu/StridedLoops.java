package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * How the CPU kernels walk views: axes merged so loops run over few long rows, rows split into tiles
 * spread over {@link Parallel}'s threads when the work pays for it, and per-thread scratch rows. The public
 * part is what a CPU kernel of a {@link dev.gmsa.tensor.FusedOp} outside this module needs.
 */
public final class StridedLoops {
    /** Below this many element-operations a kernel runs inline: a fork/join round trip costs more. */
    static final long PARALLEL_WORK = 32_768;
    /** The shortest piece of a row handed to one thread. */
    private static final int MIN_TILE = 4_096;
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[4][]);

    private StridedLoops() {}

    @FunctionalInterface
    public interface TileBody {
        /** Processes elements [from, to) of row {@code row}. */
        void run(int row, int from, int to);
    }

    /**
     * Same-shaped views rewritten with merged axes: size-1 axes dropped, and neighbouring axes fused where
     * every view steps over the inner one contiguously. The result has at least one axis.
     */
    static Tensor[] coalesce(Tensor... views) {
        int[] shape = views[0].shape();
        int n = views.length;
        int[][] strides = new int[n][];
        for (int k = 0; k < n; k++) strides[k] = views[k].strides();
        int[] mShape = new int[Math.max(shape.length, 1)];
        int[][] mStrides = new int[n][mShape.length];
        int rank = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (rank > 0 && fuses(mStrides, rank - 1, strides, d, shape[d])) {
                mShape[rank - 1] *= shape[d];
                for (int k = 0; k < n; k++) mStrides[k][rank - 1] = strides[k][d];
                continue;
            }
            mShape[rank] = shape[d];
            for (int k = 0; k < n; k++) mStrides[k][rank] = strides[k][d];
            rank++;
        }
        if (rank == 0) { // every axis has size 1: one element
            mShape[0] = 1;
            for (int k = 0; k < n; k++) mStrides[k][0] = 1;
            rank = 1;
        }
        Tensor[] out = new Tensor[n];
        for (int k = 0; k < n; k++)
            out[k] = new Tensor(views[k].storage(), Arrays.copyOf(mShape, rank),
                    Arrays.copyOf(mStrides[k], rank), views[k].offset());
        return out;
    }

    private static boolean fuses(int[][] merged, int outerAxis, int[][] strides, int d, int size) {
        for (int k = 0; k < merged.length; k++)
            if ((long) merged[k][outerAxis] != (long) strides[k][d] * size) return false;
        return true;
    }

    /**
     * Runs body over rows [0, rows) of length n, each costing about {@code cost} per element: inline when
     * small, otherwise in tiles over the worker threads (long rows are split so that a single row still
     * uses every thread).
     */
    public static void forTiles(int rows, int n, int cost, TileBody body) {
        int threads = Parallel.threads();
        long work = (long) rows * n * Math.max(cost, 1);
        if (work < PARALLEL_WORK || threads == 1 || rows == 0 || n == 0) {
            for (int r = 0; r < rows; r++) body.run(r, 0, n);
            return;
        }
        int tilesPerRow = rows >= threads ? 1 : Math.max(1, Math.min((threads + rows - 1) / rows, n / MIN_TILE));
        Parallel.forRange(rows * tilesPerRow, 1, (s, e) -> {
            for (int t = s; t < e; t++) {
                int row = t / tilesPerRow, piece = t % tilesPerRow;
                body.run(row, (int) ((long) n * piece / tilesPerRow), (int) ((long) n * (piece + 1) / tilesPerRow));
            }
        });
    }

    /** Like {@link #forTiles} for kernels that need whole rows (softmax, norms): splits rows only. */
    public static void forRows(int rows, int n, int cost, Parallel.RangeBody body) {
        long work = (long) rows * n * Math.max(cost, 1);
        if (work < PARALLEL_WORK || rows < 2) {
            body.run(0, rows);
            return;
        }
        long perRow = Math.max(1L, (long) n * Math.max(cost, 1));
        Parallel.forRange(rows, (int) Math.max(1, PARALLEL_WORK / 2 / perRow), body);
    }

    /** A per-thread scratch row of at least {@code n} floats; slots let one kernel hold several at once. */
    static float[] scratch(int slot, int n) {
        float[][] rows = SCRATCH.get();
        float[] row = rows[slot];
        if (row == null || row.length < n) rows[slot] = row = new float[Math.max(n, 16)];
        return row;
    }

    /** The heap array of a contiguous F32 view (its elements start at t.offset()), or null. */
    public static float[] denseArray(Tensor t) {
        if (t.dtype() != DType.F32 || !t.isContiguous()) return null;
        return Strided.storage(t).floats;
    }

    /** t itself when its elements are a heap F32 run, else a contiguous F32 copy on the heap (for fused CPU kernels). */
    public static Tensor heapF32(Tensor t) {
        if (denseArray(t) != null) return t;
        Tensor c = t.to(DType.F32).contiguous();
        return denseArray(c) != null ? c : c.copy(); // a mapped F32 checkpoint tensor: copied to the heap
    }

    /** The heap array of a contiguous F32 output; the Backend contract promises one. */
    public static float[] outArray(Tensor out, String op) {
        float[] a = denseArray(out);
        if (a == null)
            throw new IllegalArgumentException(op + ": output must be a contiguous F32 host tensor, got " + out);
        return a;
    }

    /** Every element of a view in row-major order, widened to float (for small tables: weights, cos/sin). */
    public static float[] toArray(Tensor t) {
        float[] out = new float[t.numel()];
        if (out.length == 0) return out;
        Blocks rows = Blocks.rows(coalesce(t)[0]);
        for (int r = 0; r < rows.count; r++) rows.read(rows.start(r), 0, rows.length, out, r * rows.length);
        return out;
    }

    /** Writes row-major values into every element of a view (the inverse of {@link #toArray}). */
    public static void fromArray(float[] values, Tensor t) {
        if (values.length == 0) return;
        Blocks rows = Blocks.rows(coalesce(t)[0]);
        for (int r = 0; r < rows.count; r++) rows.write(rows.start(r), 0, rows.length, values, r * rows.length);
    }

}
