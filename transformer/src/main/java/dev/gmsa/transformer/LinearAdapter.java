package dev.gmsa.transformer;

import dev.gmsa.autograd.Var;

import java.util.List;

/** A trainable addition to a frozen linear layer's output: LoRA, or a full weight delta. */
public interface LinearAdapter {
    /** x [..., in] -> the adapter's contribution [..., out] */
    Var forward(Var x);

    /** The adapter's trainable parameters. */
    List<Var> parameters();

    /** Dropout and the like act only while training. */
    default void setTraining(boolean training) {}
}
