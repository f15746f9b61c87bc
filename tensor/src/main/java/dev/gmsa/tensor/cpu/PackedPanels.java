package dev.gmsa.tensor.cpu;

import java.util.Arrays;

/**
 * Copies blocks of the operands into the contiguous layout the micro-kernel streams through (GotoBLAS/BLIS
 * packing), widening any dtype to float and zero-padding ragged edges to whole panels.
 * <ul>
 *   <li>A block [mc, kc] becomes ceil(mc/MR) micro-panels, each [kc][MR]: the MR values of one k together.</li>
 *   <li>B block [kc, nc] becomes ceil(nc/NR) micro-panels, each [kc][NR]: the NR values of one k together.</li>
 * </ul>
 */
final class PackedPanels {
    static final int MR = GemmMicroKernel.MR;
    static final int NR = GemmMicroKernel.NR;

    private PackedPanels() {}

    /** Packs a[i0 .. i0+mc, k0 .. k0+kc] into dst as MR-row micro-panels (panel p starts at p * MR * kc). */
    static void packA(HostMatrix a, int i0, int mc, int k0, int kc, float[] dst) {
        boolean alongK = a.rowsAreRuns();
        for (int p = 0; p * MR < mc; p++) {
            int base = p * MR * kc, rows = Math.min(MR, mc - p * MR), row0 = i0 + p * MR;
            if (alongK) {
                for (int r = 0; r < rows; r++) a.readRun(row0 + r, k0, true, kc, dst, base + r, MR);
            } else {
                for (int k = 0; k < kc; k++) a.readRun(row0, k0 + k, false, rows, dst, base + k * MR, 1);
            }
            if (rows < MR) zeroPad(dst, base, kc, MR, rows);
        }
    }

    /**
     * Packs micro-panels [panelFrom, panelTo) of b[k0 .. k0+kc, j0 .. j0+nc] into dst (panel p starts at
     * p * NR * kc); the range lets threads pack disjoint panels of one shared block.
     */
    static void packB(HostMatrix b, int k0, int kc, int j0, int nc, int panelFrom, int panelTo, float[] dst) {
        boolean alongN = b.rowsAreRuns();
        for (int p = panelFrom; p < panelTo; p++) {
            int base = p * NR * kc, cols = Math.min(NR, nc - p * NR), col0 = j0 + p * NR;
            if (alongN) {
                for (int k = 0; k < kc; k++) b.readRun(k0 + k, col0, true, cols, dst, base + k * NR, 1);
            } else {
                // b = W.mT() with W [N, K] row-major: each column of b is a contiguous row of W
                for (int c = 0; c < cols; c++) b.readRun(k0, col0 + c, false, kc, dst, base + c, NR);
            }
            if (cols < NR) zeroPad(dst, base, kc, NR, cols);
        }
    }

    /** Zeroes lanes [used, width) of each of the kc groups of {@code width} floats starting at base. */
    private static void zeroPad(float[] dst, int base, int kc, int width, int used) {
        for (int k = 0; k < kc; k++) {
            int at = base + k * width;
            Arrays.fill(dst, at + used, at + width, 0f);
        }
    }
}
