package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gmsa.autograd.optim.AdamWTest.setGrad;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SgdTest {

    @Test
    void momentumMatchesTheFormulasWorkedByHand() {
        Var p = Var.param("p", Tensor.of(new float[] {1f}));
        var sgd = new Sgd(List.of(new ParamGroup(List.of(p), 0.1f, 0f)), 0.9f);
        setGrad(p, 0.5f);
        sgd.step(); // buf = 0.5, p = 1 - 0.05 = 0.95
        assertEquals(0.95f, p.value().item(), 1e-7f);
        setGrad(p, 0.2f);
        sgd.step(); // buf = 0.9 * 0.5 + 0.2 = 0.65, p = 0.95 - 0.065 = 0.885
        assertEquals(0.885f, p.value().item(), 1e-7f);
        assertEquals(0.65f, sgd.state().get("p/momentum").item(), 1e-7f);
    }

    @Test
    void plainSgdWithL2WeightDecay() {
        Var p = Var.param("p", Tensor.of(new float[] {2f}));
        var sgd = new Sgd(List.of(new ParamGroup(List.of(p), 0.1f, 0.5f)), 0f);
        setGrad(p, 1f);
        sgd.step(); // g = 1 + 0.5 * 2 = 2, p = 2 - 0.2 = 1.8
        assertEquals(1.8f, p.value().item(), 1e-7f);
        assertEquals(1, sgd.state().size()); // only the step count: no buffer without momentum
    }
}
