package dev.gmsa.autograd;

import dev.gmsa.autograd.fused.SwiGlu;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A tensor on the tape. Every op computes its value with one {@link Tensor} op and, right beside it,
 * says how the output's gradient {@code dy} flows back into each input (micrograd's {@code _backward}).
 * {@link #backward()} orders the graph and runs those closures once each (see {@link Tape}).
 *
 * <p>Leaves are {@link #param params} (trainable; their gradient accumulates across backward calls until
 * {@link #zeroGrad()}) and {@link #constant constants}. An op whose inputs all have {@code requiresGrad}
 * false, or any op inside {@link Grad#disabled()}, records nothing: its result is a plain value.
 * Backward closures use Tensor ops only, so the backward pass itself is never recorded.
 */
public final class Var {
    /** Adds this node's contribution to each input's gradient, given the gradient of its output. */
    @FunctionalInterface
    interface Backward {
        void run(Tensor dy);
    }

    private static final Var[] NO_INPUTS = new Var[0];

    private final Tensor value;
    private final String name;
    final Var[] inputs;        // the op's operands; empty for leaves
    final Backward backwardFn; // null for leaves
    private boolean requiresGrad;
    Tensor grad;               // same shape as value; F32; null until a backward reaches this node

    private Var(Tensor value, String name, boolean requiresGrad, Var[] inputs, Backward backwardFn) {
        this.value = value;
        this.name = name;
        this.requiresGrad = requiresGrad;
        this.inputs = inputs;
        this.backwardFn = backwardFn;
    }

    // ---------------------------------------------------------------- leaves

    /** A trainable leaf: its gradient is accumulated by backward calls. */
    public static Var param(Tensor value) {
        return param(null, value);
    }

    /** A named trainable leaf; optimizers use the name as the key of its state in checkpoints. */
    public static Var param(String name, Tensor value) {
        if (!value.dtype().isFloating()) throw new ShapeException("Var.param: a parameter must be floating, got " + value);
        return new Var(value, name, true, NO_INPUTS, null);
    }

    /** A leaf that never takes a gradient (inputs, frozen weights, masks). */
    public static Var constant(Tensor value) {
        return new Var(value, null, false, NO_INPUTS, null);
    }

    /** The same value as a constant: gradients stop here. */
    public Var detach() {
        return constant(value);
    }

    /** The result of an op: on the tape when recording is on and some input needs a gradient. */
    private static Var record(Tensor value, Backward backward, Var... inputs) {
        if (Grad.enabled())
            for (Var input : inputs)
                if (input.requiresGrad) return new Var(value, null, true, inputs, backward);
        return new Var(value, null, false, NO_INPUTS, null);
    }

    /** The gradients an op defined outside this class sends to its inputs, given dy: one per input, null for none. */
    @FunctionalInterface
    public interface InputGradients {
        Tensor[] of(Tensor dy);
    }

    /**
     * The result of an op defined elsewhere (a fused op of another module, say group merging in gmsa): its value,
     * computed by the caller, and its backward rule. Recorded on the tape like the ops of this class.
     */
    public static Var op(Tensor value, InputGradients backward, Var... inputs) {
        Var[] operands = inputs.clone();
        return record(value, dy -> {
            Tensor[] grads = backward.of(dy);
            if (grads.length != operands.length)
                throw new IllegalStateException("Var.op: " + grads.length + " gradients for " + operands.length + " inputs");
            for (int i = 0; i < operands.length; i++) if (grads[i] != null) operands[i].accumulate(grads[i]);
        }, operands);
    }

    // ---------------------------------------------------------------- accessors

    public Tensor value() { return value; }

    /** The accumulated gradient (owned by this Var: optimizers and clipping may update it in place), or null. */
    public Tensor grad() { return grad; }

    /** The name given to {@link #param(String, Tensor)}; null for unnamed leaves and op results. */
    public String name() { return name; }

    public boolean requiresGrad() { return requiresGrad; }

    /** Freezes (false) or unfreezes a leaf; a frozen leaf drops its gradient and never allocates one. */
    public void requiresGrad(boolean b) {
        if (!isLeaf())
            throw new IllegalStateException("Var.requiresGrad: only leaves can be frozen or unfrozen, not the result of an op; use detach()");
        if (b && !value.dtype().isFloating()) throw new ShapeException("Var.requiresGrad: a gradient needs a floating tensor, got " + value);
        requiresGrad = b;
        if (!b) grad = null;
    }

    public void zeroGrad() { grad = null; }

    boolean isLeaf() { return backwardFn == null; }

    public int[] shape() { return value.shape(); }
    public int size(int axis) { return value.size(axis); }
    public int rank() { return value.rank(); }
    public int numel() { return value.numel(); }

    /** The value of a one-element Var. */
    public float item() { return value.item(); }

    @Override
    public String toString() {
        return "Var(" + (name == null ? "" : name + " ") + Shape.str(value.shape()) + (requiresGrad ? ", requiresGrad" : "") + ")";
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from this one-element output (seed 1). */
    public void backward() {
        if (numel() != 1)
            throw new ShapeException("Var.backward: output " + Shape.str(shape()) + " has " + numel()
                    + " elements; give backward(seed) a gradient of that shape");
        Tensor one = Tensor.empty(value.backend(), DType.F32, value.shape());
        one.fillInPlace(1f);
        backward(one);
    }

    /** Backpropagates {@code seed} = d(objective)/d(this), which has this Var's shape. */
    public void backward(Tensor seed) {
        if (!requiresGrad)
            throw new IllegalStateException("Var.backward: " + this + " does not require a gradient (no param reaches it, "
                    + "or it was computed inside Grad.disabled())");
        if (!Arrays.equals(seed.shape(), value.shape()))
            throw new ShapeException("Var.backward: seed " + Shape.str(seed.shape()) + " does not match output " + Shape.str(shape()));
        Tape.backward(this, seed);
    }

    /** Adds {@code g} (this Var's shape) to the gradient. A leaf copies: its gradient must not alias another tensor. */
    void accumulate(Tensor g) {
        if (!requiresGrad) return;
        if (!Arrays.equals(g.shape(), value.shape()))
            throw new IllegalStateException("autograd: gradient " + Shape.str(g.shape()) + " for a value " + Shape.str(value.shape()));
        if (grad != null) grad = grad.add(g);
        else if (isLeaf()) grad = g.dtype() == DType.F32 ? g.copy() : g.to(DType.F32);
        else grad = g;
    }

    /** Accumulates a gradient of the broadcast output shape, summed back over the axes this input was broadcast along. */
    private void accumulateBroadcast(Tensor g) {
        if (requiresGrad) accumulate(g.sumTo(value.shape()));
    }

    // ---------------------------------------------------------------- elementwise, broadcasting

    public Var add(Var other) {
        Var a = this, b = other;
        return record(a.value.add(b.value), dy -> {
            a.accumulateBroadcast(dy);
            b.accumulateBroadcast(dy);
        }, a, b);
    }

    public Var sub(Var other) {
        Var a = this, b = other;
        return record(a.value.sub(b.value), dy -> {
            a.accumulateBroadcast(dy);
            if (b.requiresGrad) b.accumulateBroadcast(dy.neg());
        }, a, b);
    }

    public Var mul(Var other) {
        Var a = this, b = other;
        return record(a.value.mul(b.value), dy -> {
            if (a.requiresGrad) a.accumulateBroadcast(dy.mul(b.value));
            if (b.requiresGrad) b.accumulateBroadcast(dy.mul(a.value));
        }, a, b);
    }

    public Var div(Var other) {
        Var a = this, b = other;
        Tensor out = a.value.div(b.value);
        return record(out, dy -> {
            if (a.requiresGrad) a.accumulateBroadcast(dy.div(b.value));
            // d(a/b)/db = -a/b^2 = -out/b
            if (b.requiresGrad) b.accumulateBroadcast(dy.mul(out).div(b.value).neg());
        }, a, b);
    }

    public Var add(float c) {
        Var x = this;
        return record(x.value.add(c), x::accumulate, x);
    }

    public Var sub(float c) {
        Var x = this;
        return record(x.value.sub(c), x::accumulate, x);
    }

    public Var mul(float c) {
        Var x = this;
        return record(x.value.mul(c), dy -> x.accumulate(dy.mul(c)), x);
    }

    public Var div(float c) {
        Var x = this;
        return record(x.value.div(c), dy -> x.accumulate(dy.div(c)), x);
    }

    /** x^p; d/dx = p x^(p-1). */
    public Var pow(float p) {
        Var x = this;
        return record(x.value.pow(p), dy -> x.accumulate(dy.mul(x.value.pow(p - 1).mul(p))), x);
    }

    // ---------------------------------------------------------------- elementwise, unary

    public Var neg() {
        Var x = this;
        return record(x.value.neg(), dy -> x.accumulate(dy.neg()), x);
    }

    public Var exp() {
        Var x = this;
        Tensor out = x.value.exp();
        return record(out, dy -> x.accumulate(dy.mul(out)), x);
    }

    public Var log() {
        Var x = this;
        return record(x.value.log(), dy -> x.accumulate(dy.div(x.value)), x);
    }

    /** d sqrt(x)/dx = 1 / (2 sqrt(x)). */
    public Var sqrt() {
        Var x = this;
        Tensor out = x.value.sqrt();
        return record(out, dy -> x.accumulate(dy.div(out).mul(0.5f)), x);
    }

    /** d x^(-1/2)/dx = -x^(-3/2) / 2 = -out^3 / 2. */
    public Var rsqrt() {
        Var x = this;
        Tensor out = x.value.rsqrt();
        return record(out, dy -> x.accumulate(dy.mul(out.square().mul(out)).mul(-0.5f)), x);
    }

    /** d tanh(x)/dx = 1 - tanh(x)^2. */
    public Var tanh() {
        Var x = this;
        Tensor out = x.value.tanh();
        return record(out, dy -> x.accumulate(dy.mul(out.square().neg().add(1f))), x);
    }

    /** d sigmoid(x)/dx = s (1 - s). */
    public Var sigmoid() {
        Var x = this;
        Tensor out = x.value.sigmoid();
        return record(out, dy -> x.accumulate(dy.mul(out.mul(out.neg().add(1f)))), x);
    }

    /** silu(x) = x sigmoid(x); its gradient is SwiGLU's gate gradient with up = 1 (written once, in {@link SwiGlu}). */
    public Var silu() {
        Var x = this;
        return record(x.value.silu(), dy -> {
            Tensor ones = Tensor.scalarLike(x.value, 1f).expand(x.shape());
            x.accumulate(SwiGlu.backward(x.value, ones, dy)[0]);
        }, x);
    }

    private static final float GELU_C = (float) Math.sqrt(2.0 / Math.PI), GELU_K = 0.044715f;

    /**
     * The tanh approximation: y = x (1 + t) / 2 with t = tanh(u), u = c (x + k x^3), so
     * dy/dx = (1 + t) / 2 + x (1 - t^2) c (1 + 3 k x^2) / 2.
     */
    public Var gelu() {
        Var x = this;
        return record(x.value.gelu(), dy -> {
            Tensor v = x.value, v2 = v.square();
            Tensor t = v.add(v2.mul(v).mul(GELU_K)).mul(GELU_C).tanh();
            Tensor du = v2.mul(3 * GELU_K).add(1f).mul(GELU_C);
            Tensor local = t.add(1f).mul(0.5f).add(v.mul(0.5f).mul(t.square().neg().add(1f)).mul(du));
            x.accumulate(dy.mul(local));
        }, x);
    }

    /** The gradient passes where x > 0 (0 at the kink itself). */
    public Var relu() {
        Var x = this;
        return record(x.value.relu(), dy -> x.accumulate(dy.mul(x.value.zip(BinaryOp.GT, 0f))), x);
    }

    public Var square() {
        Var x = this;
        return record(x.value.square(), dy -> x.accumulate(dy.mul(x.value.mul(2f))), x);
    }

    /** d|x|/dx = sign(x) (0 at 0). */
    public Var abs() {
        Var x = this;
        return record(x.value.abs(), dy -> {
            Tensor sign = x.value.zip(BinaryOp.GT, 0f).sub(x.value.neg().zip(BinaryOp.GT, 0f));
            x.accumulate(dy.mul(sign));
        }, x);
    }

    // ---------------------------------------------------------------- reductions

    /** Every element of the reduced axis receives the gradient of its sum. */
    public Var sum(int axis, boolean keepDim) {
        Var x = this;
        int a = Shape.axis(axis, rank(), "sum");
        return record(x.value.sum(a, keepDim), dy -> x.accumulate((keepDim ? dy : dy.unsqueeze(a)).expand(x.shape())), x);
    }

    public Var mean(int axis, boolean keepDim) {
        Var x = this;
        int a = Shape.axis(axis, rank(), "mean");
        float n = size(a);
        return record(x.value.mean(a, keepDim), dy -> x.accumulate((keepDim ? dy : dy.unsqueeze(a)).div(n).expand(x.shape())), x);
    }

    /** The gradient goes to the maximum; tied maxima share it equally. */
    public Var max(int axis, boolean keepDim) {
        Var x = this;
        int a = Shape.axis(axis, rank(), "max");
        Tensor maxKept = x.value.max(a, true);
        return record(keepDim ? maxKept : maxKept.squeeze(a), dy -> {
            Tensor isMax = x.value.zip(BinaryOp.EQ, maxKept);
            Tensor share = (keepDim ? dy : dy.unsqueeze(a)).div(isMax.sum(a, true));
            x.accumulate(isMax.mul(share));
        }, x);
    }

    /** Sum of all elements (0-d). */
    public Var sum() {
        return reshape(numel()).sum(0, false);
    }

    public Var mean() {
        return reshape(numel()).mean(0, false);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with NumPy semantics, as {@link Tensor#matmul}: 1-D operands are promoted (and the
     * added axis removed again, here by differentiable unsqueeze/squeeze), batch axes broadcast.
     */
    public Var matmul(Var other) {
        if (rank() == 1 || other.rank() == 1) {
            Var a = rank() == 1 ? unsqueeze(0) : this;
            Var b = other.rank() == 1 ? other.unsqueeze(1) : other;
            Var out = a.matmul(b);
            if (rank() == 1) out = out.squeeze(-2);
            if (other.rank() == 1) out = out.squeeze(-1);
            return out;
        }
        Var a = this, b = other;
        // a [..., M, K] @ b [..., K, N] = out [..., M, N]
        return record(a.value.matmul(b.value), dy -> {
            if (a.requiresGrad) a.accumulateBroadcast(dy.matmul(b.value.mT()));   // da = dy b^T
            if (b.requiresGrad) b.accumulate(weightGradient(a.value, b.value, dy)); // db = a^T dy
        }, a, b);
    }

    /** a^T dy summed over the batch axes that b was broadcast along. */
    private static Tensor weightGradient(Tensor a, Tensor b, Tensor dy) {
        if (b.rank() == 2 && a.rank() > 2) {
            // a linear layer on [B, T, K]: fold the batch into rows, one [K, B*T] x [B*T, N] product
            int k = a.size(-1), n = b.size(-1);
            return a.reshape(-1, k).mT().matmul(dy.reshape(-1, n));
        }
        return a.mT().matmul(dy).sumTo(b.shape());
    }

    // ---------------------------------------------------------------- views (backward maps the gradient back)

    public Var reshape(int... newShape) {
        Var x = this;
        return record(x.value.reshape(newShape), dy -> x.accumulate(dy.reshape(x.shape())), x);
    }

    public Var permute(int... order) {
        Var x = this;
        Tensor out = x.value.permute(order); // validates the order
        int[] inverse = new int[order.length];
        for (int i = 0; i < order.length; i++) inverse[Shape.axis(order[i], order.length, "permute")] = i;
        return record(out, dy -> x.accumulate(dy.permute(inverse)), x);
    }

    public Var transpose(int axisA, int axisB) {
        Var x = this;
        return record(x.value.transpose(axisA, axisB), dy -> x.accumulate(dy.transpose(axisA, axisB)), x);
    }

    /** Swaps the last two axes. */
    public Var mT() {
        Var x = this;
        return record(x.value.mT(), dy -> x.accumulate(dy.mT()), x);
    }

    /** The sub-range [start, start + length) of one axis; backward pads the gradient with zeros. */
    public Var narrow(int axis, int start, int length) {
        Var x = this;
        Tensor out = x.value.narrow(axis, start, length);
        return record(out, dy -> {
            Tensor dx = zerosLike(x.value);
            dx.narrow(axis, start, length).copyFrom(dy);
            x.accumulate(dx);
        }, x);
    }

    public Var select(int axis, int index) {
        Var x = this;
        Tensor out = x.value.select(axis, index);
        return record(out, dy -> {
            Tensor dx = zerosLike(x.value);
            dx.select(axis, index).copyFrom(dy);
            x.accumulate(dx);
        }, x);
    }

    /** Broadcasts size-1 (and new leading) axes; backward sums the copies. */
    public Var expand(int... newShape) {
        Var x = this;
        return record(x.value.expand(newShape), dy -> x.accumulate(dy.sumTo(x.shape())), x);
    }

    public Var squeeze(int axis) {
        Var x = this;
        Tensor out = x.value.squeeze(axis);
        int a = Shape.axis(axis, rank(), "squeeze");
        return record(out, dy -> x.accumulate(dy.unsqueeze(a)), x);
    }

    public Var unsqueeze(int axis) {
        Var x = this;
        Tensor out = x.value.unsqueeze(axis);
        int a = Shape.axis(axis, rank() + 1, "unsqueeze");
        return record(out, dy -> x.accumulate(dy.squeeze(a)), x);
    }

    /** A contiguous copy (this Var itself when already contiguous); the gradient passes unchanged. */
    public Var contiguous() {
        if (value.isContiguous()) return this;
        Var x = this;
        return record(x.value.contiguous(), x::accumulate, x);
    }

    // ---------------------------------------------------------------- neural-network ops

    /** Softmax over the last axis; dx = y (dy - sum(dy y)). */
    public Var softmax() {
        Var x = this;
        Tensor y = x.value.softmax();
        return record(y, dy -> x.accumulate(y.mul(dy.sub(dy.mul(y).sum(-1, true)))), x);
    }

    /** Log-softmax over the last axis; dx = dy - softmax(x) sum(dy). */
    public Var logSoftmax() {
        Var x = this;
        Tensor y = x.value.logSoftmax();
        return record(y, dy -> x.accumulate(dy.sub(y.exp().mul(dy.sum(-1, true)))), x);
    }

    /** Entries of one axis picked by a 1-D I32 index tensor; backward adds each gradient row back (repeats accumulate). */
    public Var indexSelect(int axis, Tensor ids) {
        Var x = this;
        Tensor out = x.value.indexSelect(axis, ids);
        int a = Shape.axis(axis, rank(), "indexSelect");
        return record(out, dy -> x.accumulate(zerosLike(x.value).indexAdd(a, ids, dy)), x);
    }

    /** This Var is the [V, D] table; ids of any shape give [ids..., D]. */
    public Var embedding(Tensor ids) {
        if (rank() != 2) throw new ShapeException("Var.embedding: table must be [V, D], got " + Shape.str(shape()));
        int[] outShape = Arrays.copyOf(ids.shape(), ids.rank() + 1);
        outShape[ids.rank()] = size(1);
        return indexSelect(0, ids.reshape(ids.numel())).reshape(outShape);
    }

    /** Joins along an existing axis; each part gets back its slice of the gradient. */
    public static Var concat(int axis, Var... parts) {
        Tensor[] values = new Tensor[parts.length];
        for (int i = 0; i < parts.length; i++) values[i] = parts[i].value;
        Tensor out = Tensor.concat(axis, values); // validates
        int a = Shape.axis(axis, out.rank(), "concat");
        return record(out, dy -> {
            int at = 0;
            for (Var part : parts) {
                int length = part.size(a);
                part.accumulate(dy.narrow(a, at, length));
                at += length;
            }
        }, parts.clone());
    }

    /** Joins same-shaped Vars along a new axis (unsqueeze each, then concat). */
    public static Var stack(int axis, Var... parts) {
        if (parts.length == 0) throw new ShapeException("Var.stack: no parts");
        int a = Shape.axis(axis, parts[0].rank() + 1, "stack");
        Var[] lifted = new Var[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (!Arrays.equals(parts[i].shape(), parts[0].shape()))
                throw new ShapeException("Var.stack: shapes " + Shape.str(parts[0].shape()) + " and " + Shape.str(parts[i].shape()) + " differ");
            lifted[i] = parts[i].unsqueeze(a);
        }
        return concat(a, lifted);
    }

    /** Replaces elements where mask != 0 by {@code fill} (may be -infinity); those elements pass no gradient. */
    public Var maskedFill(Tensor mask, float fill) {
        Var x = this;
        return record(x.value.maskedFill(mask, fill), dy -> x.accumulateBroadcast(dy.maskedFill(mask, 0f)), x);
    }

    /**
     * Inverted dropout: each element is zeroed with probability p and the survivors scaled by 1 / (1 - p),
     * so the expectation is unchanged. Identity when p == 0; whether to call it (training or not) is the
     * caller's decision.
     */
    public Var dropout(float p, RandomGenerator rng) {
        if (!(p >= 0f && p <= 1f)) throw new IllegalArgumentException("Var.dropout: p must lie in [0, 1], got " + p);
        if (p == 0f) return this;
        float keptScale = p == 1f ? 0f : 1f / (1f - p);
        Tensor u = Tensor.uniform(value.backend(), rng.nextLong(), shape()); // drawn on the device, not uploaded
        Tensor mask = Tensor.scalarLike(u, p).zip(BinaryOp.GT, u).neg().add(1f).mul(keptScale); // u >= p: kept
        return mul(constant(mask));
    }

    /**
     * Mean cross-entropy of logits [N, V] (this) against I32 targets [N], over rows whose target is not
     * {@code ignoreIndex} (0-d): a fluent name for the fused op {@link dev.gmsa.autograd.fused.CrossEntropy#apply},
     * which holds its kernels and backward.
     */
    public Var crossEntropy(Tensor targets, int ignoreIndex) {
        return dev.gmsa.autograd.fused.CrossEntropy.apply(this, targets, ignoreIndex);
    }

    private static Tensor zerosLike(Tensor like) {
        return Tensor.zeros(like.backend(), DType.F32, like.shape());
    }
}
