package dev.gmsa.autograd;

import dev.gmsa.autograd.Inputs.Layout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;

/** Gradients of the fused SwiGLU gate silu(gate) * up, on the reference backend and on the CPU kernel. */
class SwiGluGradientProperties {
    @Property(tries = 40)
    void swigluGradientsOfGateAndUp(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> checkSwiglu("swiglu (reference backend)", seed, layout, rank));
        checkSwiglu("swiglu (cpu kernel)", seed, layout, rank);
    }

    /** Inputs are made inside the backend context so that every tensor of the check lives on that backend. */
    private static void checkSwiglu(String what, long seed, Layout layout, int rank) {
        var rng = new SplittableRandom(seed);
        int[] shape = Inputs.shape(rng, rank, 6);
        check(what, in -> in.get(0).swiglu(in.get(1)), Inputs.random(rng, layout, shape), Inputs.random(rng, Layout.CONTIGUOUS, shape));
    }
}
