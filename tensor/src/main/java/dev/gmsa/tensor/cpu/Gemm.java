package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;

/**
 * Matrix products on the CPU: a [..., M, K] x b [..., K, N] into out [..., M, N] (F32, contiguous).
 * <ul>
 *   <li>A few rows of a against a transposed weight (b = W.mT(), W rows contiguous) go to {@link Gemv}.</li>
 *   <li>Everything else is GotoBLAS/BLIS-style blocking: for each NC-wide, KC-deep block of B, pack it once
 *       ({@link PackedPanels}, widening any dtype and stride), then split the rows of A into MC blocks over the
 *       threads; each packs its A block and sweeps {@link GemmMicroKernel} tiles of MR x NR over it.</li>
 *   <li>Batched products run their items in parallel when each item is small (attention's many [T, hd] x
 *       [hd, T] products), else one after another with the threads inside each.</li>
 * </ul>
 */
final class Gemm {
    private static final int MR = GemmMicroKernel.MR;
    private static final int NR = GemmMicroKernel.NR;
    /**
     * Most depth per packed block. Deep blocks win because every block boundary re-reads and re-writes all of C,
     * and C's rows sit a power-of-two apart in typical shapes (cache-set conflicts). Measured on the dev VM at
     * n = 2048, 1 thread: KC 256 gave 77 GFLOP/s, 512 82, 1024 94, 2048 102 (the micro-kernel streams both
     * micro-panels from L2 at full speed). The three block sizes can be overridden for tuning on another CPU with
     * -Dgemm.kc (floats), -Dgemm.mc (micro-tiles of MR rows) and -Dgemm.nc (micro-tiles of NR columns).
     */
    static final int KC_MAX = Math.max(1, Integer.getInteger("gemm.kc", 2048));
    /** Rows of A per task: a 48 x KC packed block (at most 384 KB) stays in L2 while B micro-panels stream past it. */
    static final int MC = Math.max(1, Integer.getInteger("gemm.mc", 48 / MR)) * MR;
    /** Columns of B per packed block (at most KC_MAX x NC floats = 16 MB, shared by the threads through L3). */
    static final int NC = Math.max(1, Integer.getInteger("gemm.nc", 64)) * NR;
    /** Products with fewer multiply-adds run on the calling thread: a fork/join costs about as much. */
    static final long PARALLEL_MIN_FMAS = 1L << 18;
    /** Batch items up to this many multiply-adds run one per thread rather than each over all threads. */
    static final long SMALL_ITEM_FMAS = 1L << 24;

    private Gemm() {}

    static void matmul(Tensor a, Tensor b, Tensor out) {
        checkShapes(a, b, out);
        int m = out.size(-2), n = out.size(-1), k = a.size(-1);
        if (m == 0 || n == 0) return;
        int batches = out.numel() / (m * n);
        CpuStorage outStorage = Strided.storage(out);
        boolean direct = outStorage.floats != null && out.isContiguous();
        float[] c = direct ? outStorage.floats : new float[out.numel()];
        int cBase = direct ? out.offset() : 0;
        if (k == 0) Arrays.fill(c, cBase, cBase + out.numel(), 0f);
        else multiplyBatches(a, b, c, cBase, batches, (long) m * n * k);
        if (!direct) {
            int[] positions = Strided.positions(out);
            for (int i = 0; i < positions.length; i++) outStorage.set(positions[i], c[i]);
        }
    }

    private static void multiplyBatches(Tensor a, Tensor b, float[] c, int cBase, int batches, long fmasPerItem) {
        int itemSize = a.size(-2) * b.size(-1);
        boolean worthThreads = fmasPerItem * batches >= PARALLEL_MIN_FMAS;
        if (batches > 1 && fmasPerItem <= SMALL_ITEM_FMAS && worthThreads) {
            int groups = Math.min(batches, 4 * Parallel.threads());
            Parallel.forEach(groups, g -> {
                for (int item = batches * g / groups; item < batches * (g + 1) / groups; item++)
                    multiply(HostMatrix.of(a, item), HostMatrix.of(b, item), c, cBase + item * itemSize, false);
            });
            return;
        }
        for (int item = 0; item < batches; item++) {
            HostMatrix aItem = HostMatrix.of(a, item), bItem = HostMatrix.of(b, item);
            // Gemv decides by its own weight count: decode's 288 x 288 products are below PARALLEL_MIN_FMAS, yet
            // splitting them across the worker pool (a region costs ~0.2 us) pays, and keeps the workers spinning.
            boolean split = worthThreads || Gemv.applies(aItem.rows(), bItem);
            multiply(aItem, bItem, c, cBase + item * itemSize, split);
        }
    }

    /** c[cOffset + i * n + j] = sum_k a[i, k] * b[k, j] for one matrix pair. */
    private static void multiply(HostMatrix a, HostMatrix b, float[] c, int cOffset, boolean parallel) {
        if (Gemv.applies(a.rows(), b)) {
            Gemv.multiply(a, b, c, cOffset, parallel);
            return;
        }
        int k = a.cols(), n = b.cols();
        int kSteps = (k + KC_MAX - 1) / KC_MAX, kc = (k + kSteps - 1) / kSteps;  // equal depths, none a sliver
        for (int jc = 0; jc < n; jc += NC)
            for (int pc = 0; pc < k; pc += kc)
                blockStep(a, b, c, cOffset, jc, Math.min(NC, n - jc), pc, Math.min(kc, k - pc), parallel);
    }

    /** One (jc, pc) step: pack B[pc .. +kc, jc .. +nc], then every row block of A times it (added from pc > 0 on). */
    private static void blockStep(HostMatrix a, HostMatrix b, float[] c, int cOffset, int jc, int nc, int pc, int kc, boolean parallel) {
        int m = a.rows(), n = b.cols();
        int nPanels = (nc + NR - 1) / NR;
        float[] bBlock = GemmWorkspace.current().bBlock(nPanels * NR * kc);
        Parallel.RangeBody packB = (from, to) -> PackedPanels.packB(b, pc, kc, jc, nc, from, to, bBlock);
        if (parallel) Parallel.forRange(nPanels, 1, packB);
        else packB.run(0, nPanels);

        int mBlocks = (m + MC - 1) / MC;
        // too few row blocks to feed the threads: also split the columns of the B block
        int nSplits = parallel ? Math.max(1, Math.min(nPanels, (4 * Parallel.threads() + mBlocks - 1) / mBlocks)) : 1;
        boolean accumulate = pc > 0;
        java.util.function.IntConsumer task = t -> {
            int i0 = (t / nSplits) * MC, split = t % nSplits;
            int mc = Math.min(MC, m - i0);
            GemmWorkspace ws = GemmWorkspace.current();
            float[] aBlock = ws.aBlock((mc + MR - 1) / MR * MR * kc);
            PackedPanels.packA(a, i0, mc, pc, kc, aBlock);
            int panelFrom = nPanels * split / nSplits, panelTo = nPanels * (split + 1) / nSplits;
            for (int p = panelFrom; p < panelTo; p++) {
                int j = jc + p * NR, cols = Math.min(NR, n - j);
                for (int q = 0; q * MR < mc; q++) {
                    int rows = Math.min(MR, mc - q * MR), ci = cOffset + (i0 + q * MR) * n + j;
                    if (rows == MR && cols == NR)
                        GemmMicroKernel.tile(kc, aBlock, q * MR * kc, bBlock, p * NR * kc, c, ci, n, accumulate);
                    else
                        GemmMicroKernel.edgeTile(kc, aBlock, q * MR * kc, bBlock, p * NR * kc, c, ci, n, rows, cols, accumulate, ws.edgeTile);
                }
            }
        };
        int tasks = mBlocks * nSplits;
        if (parallel) Parallel.forEach(tasks, task);
        else for (int t = 0; t < tasks; t++) task.accept(t);
    }

    private static void checkShapes(Tensor a, Tensor b, Tensor out) {
        int rank = out.rank();
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        boolean ok = rank >= 2 && a.rank() == rank && b.rank() == rank
                && as[rank - 2] == os[rank - 2] && bs[rank - 1] == os[rank - 1] && as[rank - 1] == bs[rank - 2]
                && Arrays.equals(as, 0, rank - 2, os, 0, rank - 2) && Arrays.equals(bs, 0, rank - 2, os, 0, rank - 2);
        if (!ok)
            throw new ShapeException("matmul (cpu Gemm): a " + Shape.str(as) + " x b " + Shape.str(bs) + " does not give out "
                    + Shape.str(os) + " (expected a [..., M, K], b [..., K, N], out [..., M, N] with equal batch axes)");
        if (!a.dtype().isFloating() || !b.dtype().isFloating() || out.dtype() != dev.gmsa.tensor.DType.F32)
            throw new ShapeException("matmul (cpu Gemm): needs floating a and b and an F32 out, got " + a + ", " + b + ", " + out);
    }
}
