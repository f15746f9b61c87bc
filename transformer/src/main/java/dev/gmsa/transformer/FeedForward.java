package dev.gmsa.transformer;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.fused.SwiGlu;

/** SwiGLU: down(silu(gate(x)) * up(x)). */
public final class FeedForward {
    final Linear gate, up, down;

    FeedForward(Linear gate, Linear up, Linear down) {
        this.gate = gate;
        this.up = up;
        this.down = down;
    }

    /** x [..., D] -> [..., D] */
    Var forward(Var x) {
        return down.forward(SwiGlu.apply(gate.forward(x), up.forward(x))); // fused silu(gate) * up
    }
}
