package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;

import java.util.List;

/**
 * Stochastic gradient descent with momentum, as torch.optim.SGD (no dampening, no Nesterov):
 * g = grad + wd p (weight decay here is the classic L2 term, added to the gradient); buf = momentum buf + g;
 * p -= lr buf. With momentum 0 there is no buffer and p -= lr g. State keys: "&lt;param&gt;/momentum", "step".
 */
public final class Sgd extends ParamState {
    private final float momentum;

    public Sgd(List<ParamGroup> groups, float momentum) {
        super(groups, "Sgd");
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum must lie in [0, 1), got " + momentum);
        this.momentum = momentum;
    }

    @Override
    List<String> bufferNames() {
        return momentum == 0 ? List.of() : List.of("momentum");
    }

    @Override
    void update(Var param, String key, float learningRate, float weightDecay) {
        Tensor p = param.value();
        Tensor g = weightDecay == 0 ? param.grad() : param.grad().add(p.mul(weightDecay));
        if (momentum != 0) {
            g = buffer(key, "momentum", param).mul(momentum).add(g); // the first step starts from a zero buffer: buf = g
            setBuffer(key, "momentum", g);
        }
        p.copyFrom(p.sub(g.mul(learningRate)));
    }
}
