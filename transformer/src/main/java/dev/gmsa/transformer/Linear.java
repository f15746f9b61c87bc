package dev.gmsa.transformer;

import dev.gmsa.autograd.Var;

/**
 * y = x W^T (+ b), with W stored [out, in] as in Hugging Face checkpoints. The transposed weight is a view,
 * so BF16 weights are read in place by the matmul kernel.
 */
public final class Linear {
    private final Var weight;
    private final Var bias;
    private final java.util.List<LinearAdapter> adapters = new java.util.ArrayList<>();

    public Linear(Var weight, Var bias) {
        if (weight.rank() != 2) throw new IllegalArgumentException("linear weight " + weight.name() + " must be 2-D, got " + java.util.Arrays.toString(weight.shape()));
        if (bias != null && (bias.rank() != 1 || bias.size(0) != weight.size(0)))
            throw new IllegalArgumentException("linear bias " + bias.name() + " does not match weight " + java.util.Arrays.toString(weight.shape()));
        this.weight = weight;
        this.bias = bias;
    }

    /** x [..., in] -> [..., out] */
    public Var forward(Var x) {
        Var y = x.matmul(weight.mT());
        if (bias != null) y = y.add(bias);
        for (LinearAdapter adapter : adapters) y = y.add(adapter.forward(x));
        return y;
    }

    /** Adds a trainable update (LoRA, a weight delta) to this usually frozen layer. */
    public void attach(LinearAdapter adapter) {
        adapters.add(adapter);
    }

    /** Removes every adapter (back to the checkpoint's layer). */
    public void detachAll() {
        adapters.clear();
    }

    public java.util.List<LinearAdapter> adapters() {
        return java.util.List.copyOf(adapters);
    }

    public Var weight() {
        return weight;
    }

    public Var bias() {
        return bias;
    }

    public int inFeatures() {
        return weight.size(1);
    }

    public int outFeatures() {
        return weight.size(0);
    }
}
