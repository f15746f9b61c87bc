package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdamWTest {

    /** Sets the gradient of p to g by backpropagating sum(p * g). */
    static void setGrad(Var p, float... g) {
        p.zeroGrad();
        p.mul(Var.constant(Tensor.of(g, p.shape()))).sum().backward();
    }

    @Test
    void twoStepsMatchTheFormulasWorkedByHand() {
        Var p = Var.param("p", Tensor.of(new float[] {1f, -2f}));
        var adam = new AdamW(List.of(new ParamGroup(List.of(p), 0.1f, 0.01f)), 0.9f, 0.999f, 1e-8f);

        // step 1, g = [0.5, 0.1]: m = 0.1 g, v = 0.001 g^2, so m/c1 = g and sqrt(v/c2) = |g|: the update is sign(g).
        // p = p - 0.1 (sign(g) + 0.01 p) = [1 - 0.1 * 1.01, -2 - 0.1 * (1 - 0.02)] = [0.899, -2.098]
        setGrad(p, 0.5f, 0.1f);
        adam.step();
        assertArrayEquals(new float[] {0.899f, -2.098f}, p.value().toFloatArray(), 1e-6f);

        // step 2, g = [-0.25, 0.3]: m = 0.9 m + 0.1 g = [0.02, 0.039]; v = 0.999 v + 0.001 g^2 = [0.00031225, 0.00009999];
        // c1 = 1 - 0.9^2 = 0.19, c2 = 1 - 0.999^2 = 0.001999; m/c1 = [0.1052632, 0.2052632];
        // sqrt(v/c2) = [0.3952254, 0.2236515]; update = [0.2663372, 0.9177807];
        // p = [0.899 - 0.1 (0.2663372 + 0.00899), -2.098 - 0.1 (0.9177807 - 0.02098)] = [0.8714673, -2.1876801]
        setGrad(p, -0.25f, 0.3f);
        adam.step();
        assertArrayEquals(new float[] {0.8714673f, -2.1876801f}, p.value().toFloatArray(), 2e-6f);
        assertEquals(2, adam.stepCount());
        assertArrayEquals(new float[] {0.02f, 0.039f}, adam.state().get("p/m").toFloatArray(), 1e-7f);
        // 0.999f is 0.99900001 in F32, so 1 - beta2 is off by 1.3e-5 relative: a 1e-8 tolerance on values ~1e-4
        assertArrayEquals(new float[] {0.00031225f, 0.00009999f}, adam.state().get("p/v").toFloatArray(), 1e-8f);
    }

    @Test
    void weightDecayIsDecoupledFromTheGradient() {
        // with a zero gradient Adam's update is 0, so only the decay acts: p *= 1 - lr wd exactly
        Var p = Var.param("p", Tensor.of(new float[] {3f, -5f}));
        var adam = new AdamW(List.of(new ParamGroup(List.of(p), 0.5f, 0.2f)));
        setGrad(p, 0f, 0f);
        adam.step();
        assertArrayEquals(new float[] {3f * 0.9f, -5f * 0.9f}, p.value().toFloatArray(), 1e-6f);

        // the decay does not pass through the moments: scaling the gradient 1000x leaves the step unchanged
        // (an L2 term added to the gradient would weigh 1000x less against it)
        Var a = Var.param("a", Tensor.of(new float[] {3f})), b = Var.param("b", Tensor.of(new float[] {3f}));
        var adamA = new AdamW(List.of(new ParamGroup(List.of(a), 0.1f, 0.3f)));
        var adamB = new AdamW(List.of(new ParamGroup(List.of(b), 0.1f, 0.3f)));
        setGrad(a, 0.002f);
        setGrad(b, 2f);
        adamA.step();
        adamB.step();
        assertEquals(3f - 0.1f * (1f + 0.3f * 3f), a.value().item(), 1e-5f);
        assertEquals(a.value().item(), b.value().item(), 1e-5f);
    }

    @Test
    void onlyParamsWithAGradientAreUpdatedAndGetMoments() {
        Var used = Var.param("used", Tensor.ones(2)), unused = Var.param("unused", Tensor.ones(2)), frozen = Var.param("frozen", Tensor.ones(2));
        var adam = new AdamW(List.of(new ParamGroup(List.of(used, unused, frozen), 0.1f, 0.1f)));
        used.mul(frozen).sum().backward();
        frozen.requiresGrad(false);
        adam.step();
        assertFalse(adam.state().containsKey("unused/m"));
        assertFalse(adam.state().containsKey("frozen/m"));
        assertTrue(adam.state().containsKey("used/m"));
        assertArrayEquals(new float[] {1f, 1f}, unused.value().toFloatArray());
        assertArrayEquals(new float[] {1f, 1f}, frozen.value().toFloatArray());
        assertEquals(1 - 0.1f * 1.1f, used.value().get(0), 1e-6f);
        adam.zeroGrad();
        assertNull(used.grad());
    }

    @Test
    void theLearningRateScaleMultipliesEveryGroup() {
        Var a = Var.param("a", Tensor.ones(1)), b = Var.param("b", Tensor.ones(1));
        var adam = new AdamW(List.of(new ParamGroup(List.of(a), 0.1f, 0f), new ParamGroup(List.of(b), 0.2f, 0f)));
        adam.setLearningRateScale(0.5f);
        setGrad(a, 1f);
        setGrad(b, 1f);
        adam.step();
        assertEquals(1 - 0.05f, a.value().item(), 1e-6f);
        assertEquals(1 - 0.1f, b.value().item(), 1e-6f);
    }

    @Test
    void rejectsParamsItCannotUpdateInPlaceOrKeyUniquely() {
        Var transposed = Var.param("t", Tensor.ones(2, 3).mT().contiguous().mT());
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(new ParamGroup(List.of(transposed), 0.1f, 0f))));
        Var x = Var.param("same", Tensor.ones(1)), y = Var.param("same", Tensor.ones(1));
        assertThrows(IllegalArgumentException.class, () -> new AdamW(List.of(new ParamGroup(List.of(x, y), 0.1f, 0f))));
    }
}
