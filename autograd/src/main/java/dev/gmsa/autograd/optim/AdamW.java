package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;

import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter), as torch.optim.AdamW:
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m / c1 / (sqrt(v / c2) + eps) + wd p),
 * with bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t. As in PyTorch, t counts the steps in which this
 * parameter had a gradient, and m, v are allocated only for parameters that get one.
 * State keys: "&lt;param&gt;/m", "&lt;param&gt;/v", "&lt;param&gt;/step", and "step".
 */
public final class AdamW extends ParamState {
    private final float beta1, beta2, eps;

    public AdamW(List<ParamGroup> groups, float beta1, float beta2, float eps) {
        super(groups, "AdamW");
        if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && eps >= 0))
            throw new IllegalArgumentException("AdamW: need 0 <= beta1, beta2 < 1 and eps >= 0, got " + beta1 + ", " + beta2 + ", " + eps);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
    public AdamW(List<ParamGroup> groups) {
        this(groups, 0.9f, 0.999f, 1e-8f);
    }

    @Override
    List<String> bufferNames() {
        return List.of("m", "v");
    }

    @Override
    List<String> counterNames() {
        return List.of("step");
    }

    @Override
    void update(Var param, String key, float learningRate, float weightDecay) {
        Tensor m = buffer(key, "m", param), v = buffer(key, "v", param);
        int t = incrementCounter(key, "step");
        Tensor p = param.value();
        AdamWStep.apply(p, param.grad().contiguous(), m, v, AdamWStep.Hyper.of(learningRate, beta1, beta2, eps, weightDecay, t));
    }
}
