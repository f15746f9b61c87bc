package dev.gmsa.transformer;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Low-rank adaptation of a frozen linear layer: delta(x) = dropout(x) A^T B^T * alpha / rank, with
 * A [rank, in] drawn like PEFT's default (Kaiming-uniform, bound 1/sqrt(in)) and B [out, rank] zero, so a
 * fresh adapter changes nothing. It starts in inference mode (no dropout): a training loop switches dropout on
 * for its steps ({@link #setTraining}) and off again after, so nothing that merely runs the model is random.
 */
public final class LoraAdapter implements LinearAdapter {
    private final Var down; // A [rank, in]
    private final Var up;   // B [out, rank]
    private final float scale;
    private final float dropout;
    private RandomGenerator rng;
    private boolean training = false;

    public LoraAdapter(String name, int in, int out, int rank, float alpha, float dropout, long seed, RandomGenerator rng) {
        if (rank < 1) throw new IllegalArgumentException("LoRA rank must be >= 1, got " + rank);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        float bound = (float) (1.0 / Math.sqrt(in));
        this.down = Var.param(name + ".lora_A.weight", Tensor.rand(seed, -bound, bound, rank, in));
        this.up = Var.param(name + ".lora_B.weight", Tensor.zeros(out, rank));
        this.scale = alpha / rank;
        this.dropout = dropout;
        this.rng = rng;
    }

    /** x [..., in] -> [..., out] */
    @Override
    public Var forward(Var x) {
        Var input = training && dropout > 0 ? x.dropout(dropout, rng) : x;
        return input.matmul(down.mT()).matmul(up.mT()).mul(scale);
    }

    /** Restarts the dropout generator (a training loop does this every step so a resumed run repeats it). */
    public void reseed(long seed) {
        this.rng = new java.util.SplittableRandom(seed);
    }

    @Override
    public java.util.List<Var> parameters() {
        return java.util.List.of(down, up);
    }

    /** Dropout is applied only while training (off until a training loop turns it on). */
    @Override
    public void setTraining(boolean training) {
        this.training = training;
    }

    public Var down() {
        return down;
    }

    public Var up() {
        return up;
    }
}
