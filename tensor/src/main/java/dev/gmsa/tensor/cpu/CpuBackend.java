package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.CounterHash;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ReduceOp;
import dev.gmsa.tensor.Storage;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.UnaryOp;

import java.util.function.Consumer;

/**
 * The default backend: host memory, kernels on the Vector API, spread over {@link Parallel}'s threads.
 * Each kernel lives in its own class ({@link ElementwiseKernels}, {@link ReductionKernels}, ...): fast paths
 * for contiguous F32, and general paths for any strided view of any dtype. Matrix products are {@link Gemm}'s.
 */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    public static CpuBackend instance() {
        return INSTANCE;
    }

    private CpuBackend() {}

    /**
     * Runs a kernel that writes a contiguous F32 output (what {@link dev.gmsa.tensor.Tensor} always passes).
     * Any other {@code out} gets a dense temporary, copied in first when the kernel accumulates, and back after.
     */
    private static void intoDense(Tensor out, boolean accumulate, Consumer<Tensor> kernel) {
        if (out.numel() == 0) return;
        if (StridedLoops.denseArray(out) != null) {
            kernel.accept(out);
            return;
        }
        Tensor dense = Tensor.empty(INSTANCE, DType.F32, out.shape());
        if (accumulate) CopyKernels.copy(out, dense);
        kernel.accept(dense);
        CopyKernels.copy(dense, out);
    }

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
        return CopyKernels.download(t);
    }

    @Override
    public int[] downloadInts(Tensor t) {
        return CopyKernels.downloadInts(t);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        CopyKernels.copy(src, dst);
    }

    @Override
    public void fill(Tensor dst, float value) {
        CopyKernels.fill(dst, value);
    }

    @Override
    public void iota(Tensor out) {
        float[] dst = StridedLoops.outArray(out, "iota");
        for (int i = 0; i < dst.length; i++) dst[i] = i;
    }

    @Override
    public void uniform(Tensor out, long seed) {
        float[] dst = StridedLoops.outArray(out, "uniform");
        int key = CounterHash.key(seed);
        for (int i = 0; i < dst.length; i++) dst[i] = CounterHash.uniform(key, i);
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        intoDense(out, false, o -> ElementwiseKernels.unary(op, x, o));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        intoDense(out, false, o -> ElementwiseKernels.binary(op, a, b, o));
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        intoDense(out, false, o -> ElementwiseKernels.where(mask, a, b, o));
    }

    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        intoDense(out, false, o -> ReductionKernels.reduce(op, x, axis, o));
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        ReductionKernels.argmax(x, axis, out);
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        Gemm.matmul(a, b, out);
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        intoDense(out, false, o -> SoftmaxKernels.softmax(x, o, false));
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        intoDense(out, false, o -> SoftmaxKernels.softmax(x, o, true));
    }

    @Override
    public void indexSelect(Tensor x, int axis, Tensor ids, Tensor out) {
        intoDense(out, false, o -> GatherKernels.indexSelect(x, axis, ids, o));
    }

    @Override
    public void indexAdd(Tensor src, int axis, Tensor ids, Tensor out) {
        intoDense(out, true, o -> GatherKernels.indexAdd(src, axis, ids, o));
    }

}
