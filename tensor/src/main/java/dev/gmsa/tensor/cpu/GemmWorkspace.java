package dev.gmsa.tensor.cpu;

/**
 * Per-thread packing buffers, reused across calls so a matmul allocates nothing in its loops. The B block of
 * one (jc, pc) step lives in the calling thread's workspace and is read by all workers; each worker packs
 * its A blocks into its own.
 */
final class GemmWorkspace {
    private static final ThreadLocal<GemmWorkspace> CURRENT = ThreadLocal.withInitial(GemmWorkspace::new);

    private float[] aBlock = new float[0];
    private float[] bBlock = new float[0];
    final float[] edgeTile = new float[GemmMicroKernel.MR * GemmMicroKernel.NR];

    static GemmWorkspace current() {
        return CURRENT.get();
    }

    float[] aBlock(int floats) {
        if (aBlock.length < floats) aBlock = new float[floats];
        return aBlock;
    }

    float[] bBlock(int floats) {
        if (bBlock.length < floats) bBlock = new float[floats];
        return bBlock;
    }
}
