package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.gmsa.autograd.optim.AdamWTest.setGrad;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GradClipTest {

    @Test
    void scalesTheGlobalNormToExactlyTheMaximum() {
        Var a = Var.param(Tensor.zeros(2)), b = Var.param(Tensor.zeros(1)), noGrad = Var.param(Tensor.zeros(3));
        setGrad(a, 3f, 4f);
        setGrad(b, 12f);
        float norm = GradClip.clipGlobalNorm(List.of(a, b, noGrad), 6.5f).item(); // sqrt(9 + 16 + 144) = 13
        assertEquals(13f, norm, 1e-6f);
        assertArrayEquals(new float[] {1.5f, 2f}, a.grad().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {6f}, b.grad().toFloatArray(), 1e-6f);
        assertEquals(6.5f, GradClip.clipGlobalNorm(List.of(a, b), 100f).item(), 1e-6f);
    }

    @Test
    void leavesSmallGradientsAlone() {
        Var a = Var.param(Tensor.zeros(2));
        setGrad(a, 0.3f, 0.4f);
        assertEquals(0.5f, GradClip.clipGlobalNorm(List.of(a, a), 1f).item(), 1e-6f); // a listed twice counts once
        assertArrayEquals(new float[] {0.3f, 0.4f}, a.grad().toFloatArray());
    }

    @Test
    void leavesGradientsAloneWhenTheNormIsNotFinite() {
        Var a = Var.param(Tensor.zeros(2)), b = Var.param(Tensor.zeros(1));
        setGrad(a, Float.POSITIVE_INFINITY, 4f);
        setGrad(b, 12f);
        assertEquals(Float.POSITIVE_INFINITY, GradClip.clipGlobalNorm(List.of(a, b), 1f).item());
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 4f}, a.grad().toFloatArray());
        assertArrayEquals(new float[] {12f}, b.grad().toFloatArray());
        setGrad(b, Float.NaN);
        assertTrue(Float.isNaN(GradClip.clipGlobalNorm(List.of(a, b), 1f).item()));
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, 4f}, a.grad().toFloatArray());
    }
}
