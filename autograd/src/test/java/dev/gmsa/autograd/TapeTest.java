package dev.gmsa.autograd;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tape itself: accumulation, freezing, no-grad scopes, dropped intermediates, ordering. */
class TapeTest {

    @Test
    void gradientsAccumulateOverTwoBackwardCallsLikeOneOverTheSummedLoss() {
        Tensor x = Tensor.randn(1, 1f, 3, 4), w = Tensor.randn(2, 1f, 4, 2);
        Var w1 = Var.param("w", w.copy());
        loss(x.narrow(0, 0, 2), w1).backward();
        loss(x.narrow(0, 2, 1), w1).backward();

        Var w2 = Var.param("w", w.copy());
        loss(x.narrow(0, 0, 2), w2).add(loss(x.narrow(0, 2, 1), w2)).backward();
        assertTrue(w1.grad().allClose(w2.grad(), 1e-5f, 1e-6f));

        w1.zeroGrad();
        assertNull(w1.grad());
    }

    private static Var loss(Tensor x, Var w) {
        return Var.constant(x).matmul(w).tanh().square().sum();
    }

    @Test
    void frozenParamsNeverGetAGradient() {
        Var frozen = Var.param("frozen", Tensor.randn(3, 1f, 4, 4));
        Var trained = Var.param("trained", Tensor.randn(4, 1f, 4));
        frozen.requiresGrad(false);
        Var x = Var.constant(Tensor.randn(5, 1f, 2, 4));
        x.matmul(frozen).mul(trained).sum().backward();
        assertNull(frozen.grad());
        assertNotNull(trained.grad());

        // an op on frozen and constant inputs only records nothing
        Var y = x.matmul(frozen);
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    void freezingDropsAnExistingGradient() {
        Var p = Var.param(Tensor.ones(3));
        p.square().sum().backward();
        assertNotNull(p.grad());
        assertThrows(IllegalStateException.class, () -> p.square().requiresGrad(false)); // not a leaf
        p.requiresGrad(false);
        assertNull(p.grad());
    }

    @Test
    void gradDisabledRecordsNothingAndScopesNest() {
        Var p = Var.param(Tensor.ones(3));
        assertTrue(Grad.enabled());
        try (var _ = Grad.disabled()) {
            Var y = p.mul(2f).exp();
            assertFalse(y.requiresGrad());
            try (var _ = Grad.enabledScope()) {
                assertTrue(p.mul(2f).requiresGrad());
            }
            assertFalse(Grad.enabled());
            assertThrows(IllegalStateException.class, () -> y.sum().backward());
        }
        assertTrue(Grad.enabled());
        assertTrue(p.mul(2f).requiresGrad());
    }

    @Test
    void intermediateGradientsAreDroppedAfterUse() {
        Var p = Var.param(Tensor.randn(6, 1f, 5));
        Var hidden = p.tanh();
        Var out = hidden.mul(hidden).sum();
        out.backward();
        assertNull(hidden.grad());
        assertNull(out.grad());
        assertNotNull(p.grad());
    }

    @Test
    void leafGradientsNeverAliasEachOther() {
        // add passes the same dy to both inputs; an in-place update of one leaf's grad must not touch the other's
        Var a = Var.param(Tensor.ones(3)), b = Var.param(Tensor.ones(3));
        a.add(b).sum().backward();
        assertNotSame(a.grad(), b.grad());
        a.grad().fillInPlace(7f);
        assertArrayEquals(new float[] {1, 1, 1}, b.grad().toFloatArray());
    }

    @Test
    void aLongChainDoesNotOverflowTheStack() {
        Var p = Var.param(Tensor.ones(1));
        Var x = p;
        for (int i = 0; i < 20_000; i++) x = x.mul(1f);
        x.sum().backward();
        assertEquals(1f, p.grad().item());
    }

    @Test
    void aParamReusedManyTimesRunsEachNodeOnce() {
        Var p = Var.param(Tensor.of(new float[] {2f}));
        Var sum = p;
        for (int i = 0; i < 9; i++) sum = sum.add(p); // 10 p
        sum.mul(sum).sum().backward();               // d(100 p^2)/dp = 200 p
        assertEquals(400f, p.grad().item());
    }

    @Test
    void backwardChecksItsSeed() {
        Var p = Var.param(Tensor.ones(2, 3));
        Var y = p.exp();
        assertThrows(ShapeException.class, y::backward);
        assertThrows(ShapeException.class, () -> y.backward(Tensor.ones(3, 2)));
        y.backward(Tensor.ones(2, 3));
        assertTrue(p.grad().allClose(p.value().exp(), 1e-6f, 0f));
    }

    @Test
    void badShapesFailWithTheOpsName() {
        Var a = Var.param(Tensor.ones(2, 3)), b = Var.param(Tensor.ones(4, 5));
        ShapeException e = assertThrows(ShapeException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("matmul"), e.getMessage());
        assertThrows(ShapeException.class, () -> a.add(b));
        assertThrows(ShapeException.class, () -> Var.stack(0, a, b));
        assertThrows(ShapeException.class, () -> Var.param(Tensor.ones(3)).embedding(Tensor.ofInts(new int[] {0})));
    }

    @Test
    void dropoutIsTheIdentityAtZeroAndKeepsTheExpectation() {
        Var x = Var.param(Tensor.ones(200, 50));
        assertEquals(x, x.dropout(0f, new java.util.SplittableRandom(1)));
        Var y = x.dropout(0.3f, new java.util.SplittableRandom(1));
        float[] v = y.value().toFloatArray();
        int zeros = 0;
        for (float f : v) {
            if (f == 0) zeros++;
            else assertEquals(1f / 0.7f, f, 1e-6f);
        }
        assertEquals(0.3, zeros / (double) v.length, 0.02);
        assertEquals(1.0, y.mean().item(), 0.03);
        assertThrows(IllegalArgumentException.class, () -> x.dropout(1.5f, new java.util.SplittableRandom(1)));
    }

    @Test
    void theCpuBackendGivesTheReferenceGradients() {
        float[][] ref = Backends.with(ReferenceBackend.instance(), TapeTest::smallNetworkGradients);
        float[][] cpu = Backends.with(CpuBackend.instance(), TapeTest::smallNetworkGradients);
        for (int i = 0; i < ref.length; i++) GradCheck.assertAllClose("cpu vs reference gradient " + i, ref[i], cpu[i], 1e-4, 1e-5);
    }

    /** Embedding, rmsNorm, a linear layer, attention-like softmax, cross-entropy: every parameter's gradient. */
    private static float[][] smallNetworkGradients() {
        Var table = Var.param(Tensor.randn(1, 0.5f, 7, 6)), norm = Var.param(Tensor.rand(2, 0.5f, 1.5f, 6));
        Var w = Var.param(Tensor.randn(3, 0.5f, 6, 6)), out = Var.param(Tensor.randn(4, 0.5f, 6, 7));
        Tensor ids = Tensor.ofInts(new int[] {1, 4, 2, 6, 0, 3, 3, 5}).reshape(2, 4);
        Var h = RmsNorm.apply(table.embedding(ids), norm, 1e-5f).matmul(w).gelu();       // [2, 4, 6]
        Var att = h.matmul(h.mT()).mul(0.4f).maskedFill(Tensor.causalMask(4, 4, 0), Float.NEGATIVE_INFINITY).softmax();
        Var logits = att.matmul(h).add(h).matmul(out).reshape(8, 7);
        logits.crossEntropy(Tensor.ofInts(new int[] {4, 2, 6, 0, 3, 3, 5, -1}), -1).backward();
        return List.of(table, norm, w, out).stream().map(p -> p.grad().toFloatArray()).toArray(float[][]::new);
    }
}
