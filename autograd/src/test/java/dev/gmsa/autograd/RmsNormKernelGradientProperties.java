package dev.gmsa.autograd;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.autograd.Inputs.Values;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;

/** The RMSNorm gradient through the CPU backend's fused backward kernel (NnGradientProperties covers the reference). */
class RmsNormKernelGradientProperties {
    @Property(tries = 30)
    void rmsNormGradientsOnTheCpuKernel(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        var rng = new SplittableRandom(seed);
        int[] shape = Inputs.shape(rng, rank, 5);
        check("rmsNorm (cpu kernel)", in -> RmsNorm.apply(in.get(0), in.get(1), 1e-5f), Inputs.random(rng, layout, Values.AWAY_FROM_ZERO, shape),
                Inputs.random(rng, Layout.CONTIGUOUS, shape[rank - 1]));
    }
}
