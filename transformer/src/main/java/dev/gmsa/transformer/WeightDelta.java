package dev.gmsa.transformer;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;

import java.util.List;

/**
 * A full-rank trainable change of a frozen weight: W = W0 + delta, delta [out, in] starting at zero. Fine-tuning
 * a layer this way leaves the (possibly memory-mapped, BF16) checkpoint weight untouched, and a checkpoint of
 * the run holds only the deltas.
 */
public final class WeightDelta implements LinearAdapter {
    private final Var delta;

    public WeightDelta(String name, int out, int in) {
        this.delta = Var.param(name + ".delta", Tensor.zeros(out, in));
    }

    @Override
    public Var forward(Var x) {
        return x.matmul(delta.mT());
    }

    @Override
    public List<Var> parameters() {
        return List.of(delta);
    }

    public Var delta() {
        return delta;
    }
}
