package dev.gmsa.autograd;

import dev.gmsa.autograd.fused.Attention;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;
import static org.junit.jupiter.api.Assertions.fail;

/** Gradients of the fused causal attention, by finite differences and against the same attention composed of primitives. */
class AttentionGradientProperties {

    @Property(tries = 30)
    void fusedAttentionGradientsOfQueriesKeysAndValues(@ForAll long seed, @ForAll Layout layout,
                                                       @ForAll @IntRange(min = 1, max = 2) int kvHeads,
                                                       @ForAll @IntRange(min = 1, max = 2) int group,
                                                       @ForAll @IntRange(min = 1, max = 4) int t,
                                                       @ForAll @IntRange(min = 0, max = 3) int offset,
                                                       @ForAll @IntRange(min = 1, max = 5) int hd) {
        onReference(() -> checkAttention("attention (reference backend)", seed, layout, kvHeads, group, t, offset, hd));
        checkAttention("attention (cpu kernel)", seed, layout, kvHeads, group, t, offset, hd);
    }

    /** Inputs are made inside the backend context so that every tensor of the check lives on that backend. */
    private static void checkAttention(String what, long seed, Layout layout, int kvHeads, int group, int t, int offset, int hd) {
        var rng = new SplittableRandom(seed);
        int batch = 1 + rng.nextInt(2), s = offset + t;
        Tensor q = Inputs.random(rng, layout, batch, kvHeads * group, t, hd);
        Tensor k = Inputs.random(rng, layout, batch, kvHeads, s, hd), v = Inputs.random(rng, layout, batch, kvHeads, s, hd);
        check(what, in -> Attention.apply(in.get(0), in.get(1), in.get(2), 0.7f, offset), q, k, v);
    }

    @Property(tries = 20)
    void fusedAttentionEqualsTheComposedOne(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int group,
                                            @ForAll @IntRange(min = 1, max = 9) int t, @ForAll @IntRange(min = 0, max = 5) int offset) {
        compareWithComposed(seed, group, t, offset, 7);
    }

    /** At training lengths and head sizes, where the kernel's key blocks and vector lanes have tails. */
    @Property(tries = 6)
    void fusedAttentionEqualsTheComposedOneAtTrainingLengths(@ForAll long seed, @ForAll @IntRange(min = 60, max = 300) int t,
                                                             @ForAll @IntRange(min = 0, max = 40) int offset,
                                                             @ForAll @IntRange(min = 13, max = 64) int hd) {
        compareWithComposed(seed, 1 + (int) Math.floorMod(seed, 2L), t, offset, hd);
    }

    private static void compareWithComposed(long seed, int group, int t, int offset, int hd) {
        var rng = new SplittableRandom(seed);
        int batch = 2, kvHeads = 2, s = offset + t;
        Tensor q = Inputs.random(rng, Layout.CONTIGUOUS, batch, kvHeads * group, t, hd);
        Tensor k = Inputs.random(rng, Layout.CONTIGUOUS, batch, kvHeads, s, hd), v = Inputs.random(rng, Layout.CONTIGUOUS, batch, kvHeads, s, hd);
        Tensor seedGrad = Tensor.randn(seed, 1f, batch, kvHeads * group, t, hd);
        float scale = 0.5f;

        Var[] fused = {Var.param(q), Var.param(k), Var.param(v)};
        Var fusedOut = Attention.apply(fused[0], fused[1], fused[2], scale, offset);
        fusedOut.backward(seedGrad);

        Var[] composed = {Var.param(q), Var.param(k), Var.param(v)};
        Var keys = repeat(composed[1], group), values = repeat(composed[2], group);
        Var scores = composed[0].matmul(keys.mT()).mul(scale).maskedFill(Tensor.causalMask(t, s, offset), Float.NEGATIVE_INFINITY);
        Var composedOut = scores.softmax().matmul(values);
        composedOut.backward(seedGrad);

        assertClose("out", fusedOut.value(), composedOut.value());
        for (int i = 0; i < 3; i++) assertClose("gradient " + i, fused[i].grad(), composed[i].grad());
    }

    private static Var repeat(Var kv, int group) {
        int b = kv.size(0), h = kv.size(1), s = kv.size(2), hd = kv.size(3);
        return kv.unsqueeze(2).expand(b, h, group, s, hd).reshape(b, h * group, s, hd);
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        float[] g = got.toFloatArray(), w = want.toFloatArray();
        for (int i = 0; i < g.length; i++)
            if (!(Math.abs(g[i] - w[i]) <= 1e-5 + 1e-4 * Math.abs(w[i])))
                fail(what + ": element " + i + " is " + g[i] + ", composed " + w[i]);
    }
}
