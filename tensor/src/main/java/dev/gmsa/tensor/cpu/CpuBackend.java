package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ReduceOp;
import dev.gmsa.tensor.RopeLayout;
import dev.gmsa.tensor.Storage;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.UnaryOp;

/**
 * The default backend: host memory, kernels on the Vector API, spread over {@link Parallel}'s threads.
 * Kernels not yet specialised fall back to the scalar {@link ReferenceBackend} loops, which work on any
 * host view.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();
    private static final ReferenceBackend SCALAR = ReferenceBackend.instance();

    public static CpuBackend instance() {
        return INSTANCE;
    }

    private CpuBackend() {}

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        return CpuStorage.allocate(this, dtype, length);
    }

    @Override
    public Storage upload(float[] data) {
        return CpuStorage.ofFloats(this, data.clone());
    }

    @Override
    public Storage upload(int[] data) {
        return CpuStorage.ofInts(this, data.clone());
    }

    @Override
    public float[] download(Tensor t) {
        return SCALAR.download(t);
    }

    @Override
    public int[] downloadInts(Tensor t) {
        return SCALAR.downloadInts(t);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        SCALAR.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, float value) {
        SCALAR.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        SCALAR.unary(op, x, out);
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        SCALAR.binary(op, a, b, out);
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        SCALAR.where(mask, a, b, out);
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        SCALAR.reduce(op, x, axis, out);
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        SCALAR.argmax(x, axis, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        Gemm.matmul(a, b, out);
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        SCALAR.softmax(x, out);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        SCALAR.logSoftmax(x, out);
    }

    @Override
    public void rmsNorm(Tensor x, Tensor weight, float eps, Tensor out) {
        SCALAR.rmsNorm(x, weight, eps, out);
    }

    @Override
    public void rope(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse, Tensor out) {
        SCALAR.rope(x, cos, sin, layout, inverse, out);
    }

    @Override
    public void indexSelect(Tensor x, int axis, Tensor ids, Tensor out) {
        SCALAR.indexSelect(x, axis, ids, out);
    }

    @Override
    public void indexAdd(Tensor src, int axis, Tensor ids, Tensor out) {
        SCALAR.indexAdd(src, axis, ids, out);
    }

    @Override
    public void crossEntropy(Tensor logits, Tensor targets, int ignoreIndex, Tensor out) {
        SCALAR.crossEntropy(logits, targets, ignoreIndex, out);
    }

    @Override
    public void crossEntropyBackward(Tensor logits, Tensor targets, int ignoreIndex, float scale, Tensor out) {
        SCALAR.crossEntropyBackward(logits, targets, ignoreIndex, scale, out);
    }

    @Override
    public void groupMeanPool(Tensor x, int axis, int groupSize, Tensor out) {
        SCALAR.groupMeanPool(x, axis, groupSize, out);
    }

    @Override
    public void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, float lr, float beta1, float beta2, float eps,
                      float weightDecay, int step) {
        SCALAR.adamw(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
    }
}
