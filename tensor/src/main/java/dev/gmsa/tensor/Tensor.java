package dev.gmsa.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense n-d array: a view (shape, strides, offset) over a {@link Storage}. Views share storage;
 * ops allocate a fresh contiguous output and run one {@link Backend} kernel. Tensors are values:
 * no op mutates its inputs, except the few methods named {@code ...InPlace} / {@link #copyFrom}.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    public Tensor(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length)
            throw new ShapeException("shape " + Shape.str(shape) + " and strides " + Shape.str(strides) + " differ in rank");
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        checkBounds();
    }

    private void checkBounds() {
        if (Shape.numel(shape) == 0) return;
        long lo = offset, hi = offset;
        for (int i = 0; i < shape.length; i++) {
            long span = (long) (shape[i] - 1) * strides[i];
            if (span < 0) lo += span; else hi += span;
        }
        if (lo < 0 || hi >= storage.length())
            throw new ShapeException("view " + Shape.str(shape) + " strides " + Shape.str(strides) + " offset " + offset
                    + " reaches outside a storage of " + storage.length() + " elements");
    }

    // ---------------------------------------------------------------- factories

    public static Tensor empty(DType dtype, int... shape) {
        return empty(Backends.current(), dtype, shape);
    }

    public static Tensor empty(Backend backend, DType dtype, int... shape) {
        int[] s = shape.clone();
        return new Tensor(backend.allocate(dtype, Shape.numel(s)), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor zeros(int... shape) {
        return zeros(Backends.current(), DType.F32, shape);
    }

    /** A tensor of zeros on {@code backend} (allocations are not zero-filled: see {@link Backend#allocate}). */
    public static Tensor zeros(Backend backend, DType dtype, int... shape) {
        Tensor t = empty(backend, dtype, shape);
        backend.fill(t, 0f);
        return t;
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = empty(DType.F32, shape);
        t.backend().fill(t, value);
        return t;
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor scalar(float value) {
        return of(new float[] {value});
    }

    /** A tensor holding a copy of {@code data}; with no shape given it is 1-D. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shape.numel(s) != data.length)
            throw new ShapeException("Tensor.of: " + data.length + " values do not fill shape " + Shape.str(s));
        return new Tensor(Backends.current().upload(data.clone()), s, Shape.contiguousStrides(s), 0);
    }

    public static Tensor ofInts(int[] data, int... shape) {
        int[] s = shape.length == 0 ? new int[] {data.length} : shape.clone();
        if (Shape.numel(s) != data.length)
            throw new ShapeException("Tensor.ofInts: " + data.length + " values do not fill shape " + Shape.str(s));
        Storage storage = Backends.current().upload(data.clone());
        storage.knownIds(IdSummary.of(data)); // lets ops validate these ids without reading them back
        return new Tensor(storage, s, Shape.contiguousStrides(s), 0);
    }

    /** 0, 1, ..., n-1 as F32, made on the current backend (no host-to-device copy). */
    public static Tensor arange(int n) {
        return arange(Backends.current(), n);
    }

    public static Tensor arange(Backend backend, int n) {
        Tensor out = empty(backend, DType.F32, n);
        backend.iota(out);
        return out;
    }

    /** Uniform values in [0, 1) drawn on the backend itself from (seed, element number): see {@link Backend#uniform}. */
    public static Tensor uniform(Backend backend, long seed, int... shape) {
        Tensor out = empty(backend, DType.F32, shape);
        backend.uniform(out, seed);
        return out;
    }

    /** Independent N(0, std^2) values from a seeded generator (same seed, same values). */
    public static Tensor randn(long seed, float std, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (gaussian(rng) * std);
        return of(v, shape);
    }

    /** Uniform values in [lo, hi) from a seeded generator. */
    public static Tensor rand(long seed, float lo, float hi, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (lo + (hi - lo) * rng.nextDouble());
        return of(v, shape);
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    // ---------------------------------------------------------------- accessors

    public Storage storage() {
        return storage;
    }

    public Backend backend() {
        return storage.backend();
    }

    public DType dtype() {
        return storage.dtype();
    }

    public int[] shape() {
        return shape.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public int rank() {
        return shape.length;
    }

    public int size(int axis) {
        return shape[Shape.axis(axis, shape.length, "size")];
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public boolean isContiguous() {
        if (Shape.numel(shape) == 0) return true; // no elements, nothing out of place
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public float[] toFloatArray() {
        return backend().download(this);
    }

    public int[] toIntArray() {
        if (dtype() != DType.I32) throw new ShapeException("toIntArray: tensor " + Shape.str(shape) + " is " + dtype() + ", not I32");
        return backend().downloadInts(this);
    }

    /** The single value of a one-element tensor. */
    public float item() {
        if (numel() != 1) throw new ShapeException("item: tensor of shape " + Shape.str(shape) + " has " + numel() + " elements, not 1");
        return toFloatArray()[0];
    }

    /** One element (slow: for tests and debugging). */
    public float get(int... index) {
        if (index.length != shape.length)
            throw new ShapeException("get: index of rank " + index.length + " for tensor " + Shape.str(shape));
        int pos = offset;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i])
                throw new ShapeException("get: index " + Arrays.toString(index) + " outside shape " + Shape.str(shape));
            pos += index[i] * strides[i];
        }
        return new Tensor(storage, new int[0], new int[0], pos).toFloatArray()[0];
    }

    @Override
    public String toString() {
        return "Tensor" + Shape.str(shape) + " " + dtype() + (isContiguous() ? "" : " strides " + Shape.str(strides));
    }

    // ---------------------------------------------------------------- views (no copies)

    /** A view with a new shape; one dimension may be -1. Copies only when the layout makes a view impossible. */
    public Tensor reshape(int... newShape) {
        int[] s = inferShape(newShape);
        int[] viewStrides = viewStrides(s);
        if (viewStrides != null) return new Tensor(storage, s, viewStrides, offset);
        return contiguous().reshape(s);
    }

    private int[] inferShape(int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new ShapeException("reshape: more than one -1 in " + Shape.str(newShape));
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) {
            if (known == 0 || numel() % known != 0)
                throw new ShapeException("reshape: cannot reshape " + Shape.str(shape) + " into " + Shape.str(newShape));
            s[infer] = numel() / known;
        }
        if (Shape.numel(s) != numel())
            throw new ShapeException("reshape: cannot reshape " + Shape.str(shape) + " (" + numel() + " elements) into " + Shape.str(newShape));
        return s;
    }

    /**
     * Strides for viewing this tensor with shape {@code s}, or null when the memory layout does not allow it.
     * Walks runs of old axes that are contiguous with each other and splits each run over new axes.
     */
    private int[] viewStrides(int[] s) {
        if (isContiguous() || numel() == 0) return Shape.contiguousStrides(s);
        int[] out = new int[s.length];
        int viewAxis = s.length - 1;
        long chunkBaseStride = strides[shape.length - 1], tensorNumel = 1, viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            boolean chunkEnds = d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBaseStride);
            if (!chunkEnds) continue;
            while (viewAxis >= 0 && (viewNumel < tensorNumel || s[viewAxis] == 1)) {
                out[viewAxis] = (int) (viewNumel * chunkBaseStride);
                viewNumel *= s[viewAxis];
                viewAxis--;
            }
            if (viewNumel != tensorNumel) return null;
            if (d > 0) {
                chunkBaseStride = strides[d - 1];
                tensorNumel = 1;
                viewNumel = 1;
            }
        }
        return viewAxis == -1 ? out : null;
    }

    /** Reorders axes: result axis i is this tensor's axis order[i]. */
    public Tensor permute(int... order) {
        if (order.length != shape.length)
            throw new ShapeException("permute: order " + Arrays.toString(order) + " for tensor " + Shape.str(shape));
        int[] s = new int[order.length], st = new int[order.length];
        boolean[] seen = new boolean[order.length];
        for (int i = 0; i < order.length; i++) {
            int a = Shape.axis(order[i], shape.length, "permute");
            if (seen[a]) throw new ShapeException("permute: axis " + a + " repeated in " + Arrays.toString(order));
            seen[a] = true;
            s[i] = shape[a];
            st[i] = strides[a];
        }
        return new Tensor(storage, s, st, offset);
    }

    public Tensor transpose(int axisA, int axisB) {
        int[] order = new int[shape.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int a = Shape.axis(axisA, shape.length, "transpose"), b = Shape.axis(axisB, shape.length, "transpose");
        order[a] = b;
        order[b] = a;
        return permute(order);
    }

    /** Swaps the last two axes (a matrix transpose of every batch item). */
    public Tensor mT() {
        if (shape.length < 2) throw new ShapeException("mT: tensor " + Shape.str(shape) + " has fewer than 2 axes");
        return transpose(-2, -1);
    }

    /** The sub-range [start, start + length) of one axis. */
    public Tensor narrow(int axis, int start, int length) {
        int a = Shape.axis(axis, shape.length, "narrow");
        if (start < 0 || length < 0 || start + length > shape[a])
            throw new ShapeException("narrow: range [" + start + ", " + (start + length) + ") outside axis " + a + " of " + Shape.str(shape));
        int[] s = shape.clone();
        s[a] = length;
        return new Tensor(storage, s, strides, offset + (length == 0 ? 0 : start * strides[a]));
    }

    /** Picks index {@code i} of an axis, removing it. */
    public Tensor select(int axis, int i) {
        int a = Shape.axis(axis, shape.length, "select");
        return narrow(a, i, 1).squeeze(a);
    }

    /** Broadcasts size-1 axes (and new leading axes) to {@code newShape} with stride 0; no copy. */
    public Tensor expand(int... newShape) {
        if (newShape.length < shape.length)
            throw new ShapeException("expand: cannot expand " + Shape.str(shape) + " to fewer axes " + Shape.str(newShape));
        int lead = newShape.length - shape.length;
        int[] st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            if (i < lead) { st[i] = 0; continue; }
            int d = shape[i - lead];
            if (d == newShape[i]) st[i] = strides[i - lead];
            else if (d == 1) st[i] = 0;
            else throw new ShapeException("expand: cannot expand " + Shape.str(shape) + " to " + Shape.str(newShape));
        }
        return new Tensor(storage, newShape.clone(), st, offset);
    }

    public Tensor squeeze(int axis) {
        int a = Shape.axis(axis, shape.length, "squeeze");
        if (shape[a] != 1) throw new ShapeException("squeeze: axis " + a + " of " + Shape.str(shape) + " is not 1");
        int[] s = new int[shape.length - 1], st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != a) { s[j] = shape[i]; st[j++] = strides[i]; }
        return new Tensor(storage, s, st, offset);
    }

    public Tensor unsqueeze(int axis) {
        int a = Shape.axis(axis, shape.length + 1, "unsqueeze");
        int[] s = new int[shape.length + 1], st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < s.length; i++) {
            if (i == a) { s[i] = 1; st[i] = a < shape.length ? strides[a] * shape[a] : 1; }
            else { s[i] = shape[j]; st[i] = strides[j++]; }
        }
        return new Tensor(storage, s, st, offset);
    }

    /** This tensor if already contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        if (isContiguous()) return this;
        Tensor out = empty(backend(), dtype(), shape);
        backend().copy(this, out);
        return out;
    }

    /**
     * This tensor on another backend (same dtype, contiguous): an explicit host-device copy, e.g. to move
     * checkpoint weights to a GPU. Returns this tensor when it already lives there.
     */
    public Tensor to(Backend target) {
        if (target == backend()) return this;
        if (storage instanceof dev.gmsa.tensor.cpu.CpuStorage) { // every backend copies from host memory
            Tensor out = empty(target, dtype(), shape);
            target.copy(this, out);
            return out;
        }
        int[] s = shape.clone(), st = Shape.contiguousStrides(s);
        if (dtype() == DType.I32) return new Tensor(target.upload(toIntArray()), s, st, 0);
        Tensor widened = new Tensor(target.upload(toFloatArray()), s, st, 0);
        return dtype() == DType.F32 ? widened : widened.to(dtype());
    }

    /** A contiguous copy in another dtype (F32 to BF16/F16 rounds to nearest). */
    public Tensor to(DType dtype) {
        if (dtype == dtype() ) return this;
        Tensor out = empty(backend(), dtype, shape);
        backend().copy(this, out);
        return out;
    }

    /** Always a fresh contiguous copy. */
    public Tensor copy() {
        Tensor out = empty(backend(), dtype(), shape);
        backend().copy(this, out);
        return out;
    }

    /** Writes {@code src} (broadcast to this view's shape) into this view's elements. */
    public void copyFrom(Tensor src) {
        storage.knownIds(null); // the values changed: what was known of them no longer holds
        backend().copy(src.expand(shape), this);
    }

    public void fillInPlace(float value) {
        storage.knownIds(null);
        backend().fill(this, value);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor map(UnaryOp op) {
        requireFloating(op.name().toLowerCase());
        Tensor out = empty(backend(), DType.F32, shape);
        backend().unary(op, this, out);
        return out;
    }

    public Tensor zip(BinaryOp op, Tensor other) {
        String name = op.name().toLowerCase();
        requireFloating(name);
        other.requireFloating(name);
        requireSameBackend(other, name);
        int[] s = Shape.broadcast(shape, other.shape, name);
        Tensor out = empty(backend(), DType.F32, s);
        backend().binary(op, expand(s), other.expand(s), out);
        return out;
    }

    public Tensor zip(BinaryOp op, float other) {
        return zip(op, Tensor.scalarLike(this, other));
    }

    /** A 0-d F32 tensor holding value on like's backend (filled there: no host-to-device copy). */
    public static Tensor scalarLike(Tensor like, float value) {
        Tensor t = empty(like.backend(), DType.F32, 1);
        like.backend().fill(t, value);
        return t.reshape();
    }

    public Tensor add(Tensor o) { return zip(BinaryOp.ADD, o); }
    public Tensor sub(Tensor o) { return zip(BinaryOp.SUB, o); }
    public Tensor mul(Tensor o) { return zip(BinaryOp.MUL, o); }
    public Tensor div(Tensor o) { return zip(BinaryOp.DIV, o); }
    public Tensor maximum(Tensor o) { return zip(BinaryOp.MAX, o); }
    public Tensor add(float o) { return zip(BinaryOp.ADD, o); }
    public Tensor sub(float o) { return zip(BinaryOp.SUB, o); }
    public Tensor mul(float o) { return zip(BinaryOp.MUL, o); }
    public Tensor div(float o) { return zip(BinaryOp.DIV, o); }
    public Tensor pow(float o) { return zip(BinaryOp.POW, o); }
    public Tensor neg() { return map(UnaryOp.NEG); }
    public Tensor exp() { return map(UnaryOp.EXP); }
    public Tensor log() { return map(UnaryOp.LOG); }
    public Tensor sqrt() { return map(UnaryOp.SQRT); }
    public Tensor rsqrt() { return map(UnaryOp.RSQRT); }
    public Tensor tanh() { return map(UnaryOp.TANH); }
    public Tensor sigmoid() { return map(UnaryOp.SIGMOID); }
    public Tensor silu() { return map(UnaryOp.SILU); }
    public Tensor gelu() { return map(UnaryOp.GELU); }
    public Tensor relu() { return map(UnaryOp.RELU); }
    public Tensor abs() { return map(UnaryOp.ABS); }
    public Tensor square() { return map(UnaryOp.SQUARE); }

    /** mask != 0 ? this : other, all broadcast together. */
    public Tensor where(Tensor mask, Tensor other) {
        requireSameBackend(other, "where");
        requireSameBackend(mask, "where");
        int[] s = Shape.broadcast(Shape.broadcast(mask.shape, shape, "where"), other.shape, "where");
        Tensor out = empty(backend(), DType.F32, s);
        backend().where(mask.expand(s), expand(s), other.expand(s), out);
        return out;
    }

    /** Replaces elements where mask != 0 by {@code value} (mask broadcasts to this shape). */
    public Tensor maskedFill(Tensor mask, float value) {
        return scalarLike(this, value).where(mask, this);
    }

    /** A [T, S] mask with 1 where key position s lies in the future of query t (s > t + offset). */
    public static Tensor causalMask(int queries, int keys, int offset) {
        float[] m = new float[queries * keys];
        for (int t = 0; t < queries; t++)
            for (int s = t + offset + 1; s < keys; s++) m[t * keys + s] = 1f;
        return of(m, queries, keys);
    }

    // ---------------------------------------------------------------- reductions

    public Tensor reduce(ReduceOp op, int axis, boolean keepDim) {
        requireFloating(op.name().toLowerCase());
        int a = Shape.axis(axis, shape.length, op.name().toLowerCase());
        if (shape[a] == 0 && op == ReduceOp.MAX) throw new ShapeException("max: axis " + a + " of " + Shape.str(shape) + " is empty");
        Tensor out = empty(backend(), DType.F32, Shape.withAxis(shape, a, 1));
        backend().reduce(op, this, a, out);
        return keepDim ? out : out.squeeze(a);
    }

    public Tensor sum(int axis, boolean keepDim) { return reduce(ReduceOp.SUM, axis, keepDim); }
    public Tensor mean(int axis, boolean keepDim) { return reduce(ReduceOp.MEAN, axis, keepDim); }
    public Tensor max(int axis, boolean keepDim) { return reduce(ReduceOp.MAX, axis, keepDim); }

    /** Sum of all elements as a 0-d tensor. */
    public Tensor sum() {
        return reshape(numel()).sum(0, false);
    }

    public Tensor mean() {
        return reshape(numel()).mean(0, false);
    }

    /** Index of the maximum along an axis, as I32. */
    public Tensor argmax(int axis, boolean keepDim) {
        int a = Shape.axis(axis, shape.length, "argmax");
        if (shape[a] == 0) throw new ShapeException("argmax: axis " + a + " of " + Shape.str(shape) + " is empty");
        Tensor out = empty(backend(), DType.I32, Shape.withAxis(shape, a, 1));
        backend().argmax(this, a, out);
        out.storage.knownIds(new IdSummary(0, shape[a] - 1, true));
        return keepDim ? out : out.squeeze(a);
    }

    /** Sums broadcast axes away so the result has {@code target}'s shape (the gradient of expand). */
    public Tensor sumTo(int[] target) {
        if (Arrays.equals(shape, target)) return this;
        Tensor t = this;
        int lead = shape.length - target.length;
        if (lead < 0) throw new ShapeException("sumTo: cannot reduce " + Shape.str(shape) + " to " + Shape.str(target));
        for (int i = 0; i < lead; i++) t = t.sum(0, false);
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 1 && t.shape[i] != 1) t = t.sum(i, true);
            else if (target[i] != t.shape[i])
                throw new ShapeException("sumTo: cannot reduce " + Shape.str(shape) + " to " + Shape.str(target));
        }
        return t;
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with NumPy semantics: 1-D operands are promoted (and the added axis removed), batch
     * axes broadcast. Transposed views are consumed as they are.
     */
    public Tensor matmul(Tensor other) {
        requireSameBackend(other, "matmul");
        Tensor a = rank() == 1 ? unsqueeze(0) : this;
        Tensor b = other.rank() == 1 ? other.unsqueeze(1) : other;
        if (a.rank() < 2 || b.rank() < 2) throw new ShapeException("matmul: scalar operand " + this + " x " + other);
        int m = a.shape[a.rank() - 2], k = a.shape[a.rank() - 1];
        int kb = b.shape[b.rank() - 2], n = b.shape[b.rank() - 1];
        if (k != kb)
            throw new ShapeException("matmul: inner dimensions differ: " + Shape.str(shape) + " x " + Shape.str(other.shape));
        int[] batch = Shape.broadcast(Arrays.copyOf(a.shape, a.rank() - 2), Arrays.copyOf(b.shape, b.rank() - 2), "matmul batch");
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        int[] aShape = Arrays.copyOf(batch, batch.length + 2);
        aShape[batch.length] = m;
        aShape[batch.length + 1] = k;
        int[] bShape = Arrays.copyOf(batch, batch.length + 2);
        bShape[batch.length] = k;
        bShape[batch.length + 1] = n;
        Tensor out = empty(backend(), DType.F32, outShape);
        backend().matmul(a.expand(aShape), b.expand(bShape), out);
        if (rank() == 1) out = out.squeeze(-2);
        if (other.rank() == 1) out = out.squeeze(-1);
        return out;
    }

    // ---------------------------------------------------------------- neural-network ops

    public Tensor softmax() {
        requireFloating("softmax");
        Tensor out = empty(backend(), DType.F32, shape);
        backend().softmax(this, out);
        return out;
    }

    public Tensor logSoftmax() {
        requireFloating("logSoftmax");
        Tensor out = empty(backend(), DType.F32, shape);
        backend().logSoftmax(this, out);
        return out;
    }

    /** Rows of this table picked by ids: table [V, D], ids any shape → [ids..., D]. */
    public Tensor embedding(Tensor ids) {
        if (rank() != 2) throw new ShapeException("embedding: table must be [V, D], got " + Shape.str(shape));
        Tensor flat = ids.reshape(ids.numel());
        Tensor rows = indexSelect(0, flat);
        int[] s = Arrays.copyOf(ids.shape, ids.rank() + 1);
        s[ids.rank()] = shape[1];
        return rows.reshape(s);
    }

    /** Picks entries of one axis by a 1-D I32 index tensor. */
    public Tensor indexSelect(int axis, Tensor ids) {
        int a = Shape.axis(axis, shape.length, "indexSelect");
        checkIds(ids, shape[a], "indexSelect");
        Tensor out = empty(backend(), DType.F32, Shape.withAxis(shape, a, ids.numel()));
        backend().indexSelect(this, a, ids, out);
        return out;
    }

    /** A copy of this tensor with {@code src} added at the positions ids picks along axis (repeats accumulate). */
    public Tensor indexAdd(int axis, Tensor ids, Tensor src) {
        int a = Shape.axis(axis, shape.length, "indexAdd");
        checkIds(ids, shape[a], "indexAdd");
        if (!Arrays.equals(src.shape, Shape.withAxis(shape, a, ids.numel())))
            throw new ShapeException("indexAdd: source " + Shape.str(src.shape) + " does not match " + Shape.str(shape)
                    + " with " + ids.numel() + " entries on axis " + a);
        Tensor out = dtype() == DType.F32 ? copy() : to(DType.F32);
        backend().indexAdd(src, a, ids, out);
        return out;
    }

    private void checkIds(Tensor ids, int limit, String op) {
        if (ids.dtype() != DType.I32 || ids.rank() != 1)
            throw new ShapeException(op + ": indices must be a 1-D I32 tensor, got " + ids);
        IdSummary known = ids.storage.knownIds();
        if (known != null && known.provesWithin(limit)) return; // proven without a device-to-host copy
        for (int id : ids.toIntArray())
            if (id < 0 || id >= limit) throw new ShapeException(op + ": index " + id + " outside [0, " + limit + ")");
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) throw new ShapeException("concat: no tensors");
        int rank = parts[0].rank();
        int a = Shape.axis(axis, rank, "concat");
        int total = 0;
        for (Tensor p : parts) {
            if (p.rank() != rank || !Arrays.equals(Shape.withAxis(p.shape, a, 0), Shape.withAxis(parts[0].shape, a, 0)))
                throw new ShapeException("concat: shapes " + Shape.str(parts[0].shape) + " and " + Shape.str(p.shape) + " differ off axis " + a);
            total += p.shape[a];
        }
        Tensor out = empty(parts[0].backend(), parts[0].dtype(), Shape.withAxis(parts[0].shape, a, total));
        int at = 0;
        for (Tensor p : parts) {
            parts[0].requireSameBackend(p, "concat");
            out.backend().copy(p, out.narrow(a, at, p.shape[a]));
            at += p.shape[a];
        }
        return out;
    }

    /** Joins same-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... parts) {
        if (parts.length == 0) throw new ShapeException("stack: no tensors");
        Tensor[] lifted = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape, parts[0].shape))
                throw new ShapeException("stack: shapes " + Shape.str(parts[0].shape) + " and " + Shape.str(parts[i].shape) + " differ");
            lifted[i] = parts[i].unsqueeze(axis);
        }
        return concat(Shape.axis(axis, parts[0].rank() + 1, "stack"), lifted);
    }

    // ---------------------------------------------------------------- checks

    private void requireFloating(String op) {
        if (!dtype().isFloating()) throw new ShapeException(op + ": needs a floating tensor, got " + this);
    }

    private void requireSameBackend(Tensor other, String op) {
        if (other.backend() != backend())
            throw new ShapeException(op + ": tensors live on different backends (" + backend().name() + " and " + other.backend().name() + ")");
    }

    /** True when both have the same shape and every element differs by at most atol + rtol * |expected|. */
    public boolean allClose(Tensor expected, float rtol, float atol) {
        if (!Arrays.equals(shape, expected.shape)) return false;
        float[] a = toFloatArray(), b = expected.toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) return false;
            if (Math.abs(a[i] - b[i]) > atol + rtol * Math.abs(b[i])) return false;
        }
        return true;
    }
}
