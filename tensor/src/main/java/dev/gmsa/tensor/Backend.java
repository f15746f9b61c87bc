package dev.gmsa.tensor;

/**
 * The primitive kernels. Every {@link Tensor} op allocates its output and calls one of these. Fused ops (attention,
 * RMSNorm, AdamW's step, group merging, ...) are {@link FusedOp} units in the modules that need them: they register
 * their own kernels per backend class and fall back to compositions of these primitives, so a new backend runs
 * everything once it implements this interface, and runs it fast once it registers the fused kernels too.
 *
 * <p>Conventions: {@code out} is a freshly allocated contiguous F32 tensor (I32 for indices) unless
 * stated; inputs may be any strided view of any dtype (BF16/F16 are widened inside the kernel).
 * Shapes have been checked by {@link Tensor} before a kernel is called.
 */
public interface Backend {
    String name();

    /**
     * Waits until every operation issued so far has finished (for timing: reads such as {@link #download} already
     * wait). The CPU backends run each operation to completion before returning, so theirs has nothing to wait for.
     */
    default void synchronize() {}

    /**
     * A buffer of {@code length} elements whose contents are undefined: every kernel writes each element of its
     * out, and a caller that needs zeros asks for them ({@link Tensor#zeros(Backend, DType, int...)}). Under
     * {@link Allocations#POISONED} (the tests) the elements are NaN (I32: a large negative id), so a reliance on
     * zero-filled memory fails loudly instead of passing by luck.
     */
    Storage allocate(DType dtype, int length);

    /** Copies host floats into a new F32 buffer of this backend. */
    Storage upload(float[] data);

    /** Copies host ints into a new I32 buffer of this backend. */
    Storage upload(int[] data);

    /** Reads any view back to the host in row-major order (as floats; I32 values are converted). */
    float[] download(Tensor t);

    /** Reads an I32 view back to the host in row-major order. */
    int[] downloadInts(Tensor t);

    /** dst[i] = src[i] for same-shaped views; converts dtype (F32 to BF16 rounds to nearest even). */
    void copy(Tensor src, Tensor dst);

    void fill(Tensor dst, float value);

    /** out[i] = i, the row-major number of each element of a contiguous F32 out (exact up to 2^24). */
    void iota(Tensor out);

    /**
     * out[i] = a uniform value in [0, 1) that depends only on (seed, i) ({@link CounterHash}): the same values on
     * every backend, drawn where out lives. out is contiguous F32.
     */
    void uniform(Tensor out, long seed);

    void unary(UnaryOp op, Tensor x, Tensor out);

    /** a and b are already broadcast (expanded) to out's shape. */
    void binary(BinaryOp op, Tensor a, Tensor b, Tensor out);

    /** out[..] = mask[..] != 0 ? a[..] : b[..]; all three already broadcast to out's shape. */
    void where(Tensor mask, Tensor a, Tensor b, Tensor out);

    /** Reduces {@code axis}; out has x's shape with that axis of size 1. */
    void reduce(ReduceOp op, Tensor x, int axis, Tensor out);

    /** Index of the first maximum along {@code axis}; out is I32 with that axis of size 1. */
    void argmax(Tensor x, int axis, Tensor out);

    /**
     * Batched matrix product: a [..., M, K] times b [..., K, N] into out [..., M, N]. The batch axes of
     * a and b are already expanded to out's; transposed operands arrive as strided views, not copies.
     */
    void matmul(Tensor a, Tensor b, Tensor out);

    /** Softmax over the last axis. */
    void softmax(Tensor x, Tensor out);

    /** Log-softmax over the last axis. */
    void logSoftmax(Tensor x, Tensor out);

    /** out = x.indexSelect(axis, ids): ids is a 1-D I32 tensor, out has ids.length along axis. */
    void indexSelect(Tensor x, int axis, Tensor ids, Tensor out);

    /** out.indexSelect(axis, ids) += src, accumulating repeated ids (the backward of indexSelect). */
    void indexAdd(Tensor src, int axis, Tensor ids, Tensor out);
}
