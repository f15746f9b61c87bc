package dev.gmsa.tensor;

/**
 * The kernels. Every {@link Tensor} op allocates its output and calls one of these; autograd and the
 * transformer never see a backend, so a GPU backend only has to implement this interface.
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

    /**
     * Causal scaled-dot-product attention with grouped-query heads: q [B, H, T, hd], k and v [B, KV, S, hd],
     * H a multiple of KV (query head h reads key/value head h / (H / KV)). Query t sits at position
     * causalOffset + t and sees keys s <= causalOffset + t. out [B, H, T, hd] (any view whose last axis is
     * contiguous) = softmax(scale q k^T, masked) v. logSumExp [B, H, T], when not null, receives each row's
     * log of the softmax denominator of the scaled, masked scores (what {@link #attentionBackward} needs).
     * The default composes matmul, where, softmax and reductions (it materialises the [B, H, T, S] scores);
     * a backend overrides it with a kernel that keeps at most one block of scores at a time.
     */
    default void attention(Tensor q, Tensor k, Tensor v, float scale, int causalOffset, Tensor out, Tensor logSumExp) {
        ComposedAttention.forward(this, q, k, v, scale, causalOffset, out, logSumExp);
    }

    /**
     * Gradients of {@link #attention} given dOut [B, H, T, hd] and the forward's out and logSumExp:
     * dq [B, H, T, hd], dk and dv [B, KV, S, hd] are overwritten (gradients of all H query heads that share a
     * key/value head are summed into it). The softmax is recomputed from logSumExp, FlashAttention-2 style.
     */
    default void attentionBackward(Tensor q, Tensor k, Tensor v, Tensor out, Tensor logSumExp, Tensor dOut, float scale,
                                   int causalOffset, Tensor dq, Tensor dk, Tensor dv) {
        ComposedAttention.backward(this, q, k, v, out, logSumExp, dOut, scale, causalOffset, dq, dk, dv);
    }

}
