package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;

import java.util.List;

/** Parameters that share a learning rate and weight decay (e.g. no decay for norms and biases). */
public record ParamGroup(List<Var> params, float learningRate, float weightDecay) {
    public ParamGroup {
        params = List.copyOf(params);
        if (!(learningRate >= 0)) throw new IllegalArgumentException("ParamGroup: learning rate must be >= 0, got " + learningRate);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("ParamGroup: weight decay must be >= 0, got " + weightDecay);
    }
}
