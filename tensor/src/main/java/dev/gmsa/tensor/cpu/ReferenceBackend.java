package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.CounterHash;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ReduceOp;
import dev.gmsa.tensor.Storage;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.UnaryOp;

/**
 * Plain scalar loops, one element at a time, accumulating in double: the oracle every other backend's
 * kernels are tested against. Written to be obviously right, not fast.
 */
public final class ReferenceBackend implements Backend {
    private static final ReferenceBackend INSTANCE = new ReferenceBackend();

    public static ReferenceBackend instance() {
        return INSTANCE;
    }

    private ReferenceBackend() {}

    @Override
    public String name() {
        return "reference";
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

    // Element accessors by row-major number: every kernel below is written with these.
    private static float get(Tensor t, int linear) {
        return Strided.storage(t).get(Strided.position(t, linear));
    }

    private static void set(Tensor t, int linear, float v) {
        Strided.storage(t).set(Strided.position(t, linear), v);
    }

    private static int getInt(Tensor t, int linear) {
        return Strided.storage(t).getInt(Strided.position(t, linear));
    }

    /** Element at a multi-index. */
    private static float at(Tensor t, int... index) {
        int[] strides = t.strides();
        int pos = t.offset();
        for (int d = 0; d < index.length; d++) pos += index[d] * strides[d];
        return Strided.storage(t).get(pos);
    }

    private static void put(Tensor t, float v, int... index) {
        int[] strides = t.strides();
        int pos = t.offset();
        for (int d = 0; d < index.length; d++) pos += index[d] * strides[d];
        Strided.storage(t).set(pos, v);
    }

    @Override
    public float[] download(Tensor t) {
        float[] out = new float[t.numel()];
        for (int i = 0; i < out.length; i++) out[i] = get(t, i);
        return out;
    }

    @Override
    public int[] downloadInts(Tensor t) {
        int[] out = new int[t.numel()];
        for (int i = 0; i < out.length; i++) out[i] = getInt(t, i);
        return out;
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        boolean ints = src.dtype() == DType.I32 && dst.dtype() == DType.I32;
        for (int i = 0; i < dst.numel(); i++) {
            if (ints) Strided.storage(dst).setInt(Strided.position(dst, i), getInt(src, i));
            else set(dst, i, get(src, i));
        }
    }

    @Override
    public void fill(Tensor dst, float value) {
        for (int i = 0; i < dst.numel(); i++) set(dst, i, value);
    }

    @Override
    public void iota(Tensor out) {
        for (int i = 0; i < out.numel(); i++) set(out, i, i);
    }

    @Override
    public void uniform(Tensor out, long seed) {
        int key = CounterHash.key(seed);
        for (int i = 0; i < out.numel(); i++) set(out, i, CounterHash.uniform(key, i));
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        for (int i = 0; i < out.numel(); i++) set(out, i, op.apply(get(x, i)));
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        for (int i = 0; i < out.numel(); i++) set(out, i, op.apply(get(a, i), get(b, i)));
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        for (int i = 0; i < out.numel(); i++) set(out, i, get(mask, i) != 0 ? get(a, i) : get(b, i));
    }


    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int outer = oli[0], len = oli[1], inner = oli[2];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                double acc = op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : 0;
                for (int l = 0; l < len; l++) {
                    float v = get(x, (o * len + l) * inner + in);
                    acc = op == ReduceOp.MAX ? Math.max(acc, v) : acc + v;
                }
                if (op == ReduceOp.MEAN) acc /= len;
                set(out, o * inner + in, (float) acc);
            }
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int outer = oli[0], len = oli[1], inner = oli[2];
        for (int o = 0; o < outer; o++)
            for (int in = 0; in < inner; in++) {
                int best = 0;
                float bestValue = get(x, o * len * inner + in);
                for (int l = 1; l < len; l++) {
                    float v = get(x, (o * len + l) * inner + in);
                    if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) { best = l; bestValue = v; }
                }
                Strided.storage(out).setInt(Strided.position(out, o * inner + in), best);
            }
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        int rank = out.rank();
        int m = out.size(-2), n = out.size(-1), k = a.size(-1);
        int batches = out.numel() / Math.max(m * n, 1);
        if (m * n == 0) return;
        for (int bi = 0; bi < batches; bi++) {
            Tensor ab = batchItem(a, bi, rank), bb = batchItem(b, bi, rank), ob = batchItem(out, bi, rank);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double acc = 0;
                    for (int p = 0; p < k; p++) acc += (double) at(ab, i, p) * at(bb, p, j);
                    put(ob, (float) acc, i, j);
                }
        }
    }

    /** The 2-D matrix number {@code index} (row-major over the batch axes) of a [..., R, C] view. */
    static Tensor batchItem(Tensor t, int index, int rank) {
        Tensor item = t;
        int[] shape = t.shape();
        for (int d = rank - 3; d >= 0; d--) {
            item = item.select(d, index % shape[d]);
            index /= shape[d];
        }
        return item;
    }

    @Override
    public void softmax(Tensor x, Tensor out) {
        rowwise(x, out, false);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        rowwise(x, out, true);
    }

    private void rowwise(Tensor x, Tensor out, boolean log) {
        int n = x.size(-1), rows = x.numel() / Math.max(n, 1);
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) max = Math.max(max, get(x, r * n + i));
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Math.exp(get(x, r * n + i) - max);
            for (int i = 0; i < n; i++) {
                double z = get(x, r * n + i) - max;
                set(out, r * n + i, (float) (log ? z - Math.log(sum) : Math.exp(z) / sum));
            }
        }
    }

    @Override
    public void indexSelect(Tensor x, int axis, Tensor ids, Tensor out) {
        int[] oli = Shape.aroundAxis(out.shape(), axis);
        int outer = oli[0], count = oli[1], inner = oli[2], len = x.size(axis);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++) {
                int id = getInt(ids, j);
                for (int in = 0; in < inner; in++)
                    set(out, (o * count + j) * inner + in, get(x, (o * len + id) * inner + in));
            }
    }

    @Override
    public void indexAdd(Tensor src, int axis, Tensor ids, Tensor out) {
        int[] oli = Shape.aroundAxis(src.shape(), axis);
        int outer = oli[0], count = oli[1], inner = oli[2], len = out.size(axis);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++) {
                int id = getInt(ids, j);
                for (int in = 0; in < inner; in++) {
                    int dst = (o * len + id) * inner + in;
                    set(out, dst, get(out, dst) + get(src, (o * count + j) * inner + in));
                }
            }
    }

}
