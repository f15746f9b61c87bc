package dev.gmsa.autograd;

import dev.gmsa.autograd.Inputs.Layout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;

/** Gradients of sum, mean and max over an axis and over everything. */
class ReductionGradientProperties {

    @Property(tries = 50)
    void sumAndMeanOverAnAxis(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 4) int rank,
                              @ForAll boolean keepDim) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            int axis = rng.nextInt(rank) - (rng.nextBoolean() ? rank : 0); // negative axes too
            check("sum(" + axis + ")", in -> in.get(0).sum(axis, keepDim), Inputs.random(rng, layout, shape));
            check("mean(" + axis + ")", in -> in.get(0).mean(axis, keepDim), Inputs.random(rng, layout, shape));
        });
    }

    @Property(tries = 50)
    void maxOverAnAxisWithoutTies(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 4) int rank,
                                  @ForAll boolean keepDim) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            int axis = rng.nextInt(rank);
            check("max(" + axis + ")", in -> in.get(0).max(axis, keepDim), Inputs.distinct(rng, layout, shape));
        });
    }

    @Property(tries = 30)
    void sumAndMeanOfEverything(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 0, max = 4) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            check("sum()", in -> in.get(0).sum(), Inputs.random(rng, layout, shape));
            check("mean()", in -> in.get(0).mean(), Inputs.random(rng, layout, shape));
        });
    }
}
