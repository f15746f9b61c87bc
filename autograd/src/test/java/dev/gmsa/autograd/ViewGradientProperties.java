package dev.gmsa.autograd;

import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.tensor.Shape;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;

/**
 * Views are differentiable: their backward maps the gradient back into the input's layout. Each view is
 * followed by a nonlinear op (tanh) so a wrongly placed gradient element is detected.
 */
class ViewGradientProperties {

    @Property(tries = 50)
    void reshapePermuteTransposeAndMT(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 2, max = 4) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            int numel = Shape.numel(shape);
            int[] order = shuffled(rng, rank);
            int a = rng.nextInt(rank), b = rng.nextInt(rank);
            check("reshape", in -> in.get(0).reshape(numel, 1).tanh(), Inputs.random(rng, layout, shape));
            check("reshape -1", in -> in.get(0).reshape(-1).tanh(), Inputs.random(rng, layout, shape));
            check("permute", in -> in.get(0).permute(order).tanh(), Inputs.random(rng, layout, shape));
            check("transpose", in -> in.get(0).transpose(a, b).tanh(), Inputs.random(rng, layout, shape));
            check("mT", in -> in.get(0).mT().contiguous().tanh(), Inputs.random(rng, layout, shape));
            check("permute, flatten, reshape back", in -> in.get(0).permute(order).reshape(numel).tanh().reshape(shape), Inputs.random(rng, layout, shape));
        });
    }

    @Property(tries = 50)
    void narrowAndSelectPadWithZeros(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 4) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 5);
            int axis = rng.nextInt(rank);
            int start = rng.nextInt(shape[axis]), length = 1 + rng.nextInt(shape[axis] - start);
            int index = rng.nextInt(shape[axis]);
            check("narrow", in -> in.get(0).narrow(axis, start, length).tanh(), Inputs.random(rng, layout, shape));
            check("select", in -> in.get(0).select(axis, index).tanh(), Inputs.random(rng, layout, shape));
            check("narrow of narrow", in -> in.get(0).narrow(axis, start, length).narrow(axis, 0, 1).exp(), Inputs.random(rng, layout, shape));
        });
    }

    @Property(tries = 50)
    void expandSumsTheCopies(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] full = Inputs.shape(rng, rank, 4);
            int[] small = full.clone();
            for (int i = 0; i < rank; i++) if (rng.nextBoolean()) small[i] = 1;
            int[] withLead = new int[rank + 1];
            withLead[0] = 2;
            System.arraycopy(full, 0, withLead, 1, rank);
            check("expand", in -> in.get(0).expand(full).tanh(), Inputs.random(rng, layout, small));
            check("expand with a new axis", in -> in.get(0).expand(withLead).tanh(), Inputs.random(rng, layout, small));
        });
    }

    @Property(tries = 50)
    void squeezeUnsqueezeAndContiguous(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            int axis = rng.nextInt(rank + 1);
            check("unsqueeze", in -> in.get(0).unsqueeze(axis).tanh(), Inputs.random(rng, layout, shape));
            check("unsqueeze then squeeze", in -> in.get(0).unsqueeze(axis).tanh().squeeze(axis), Inputs.random(rng, layout, shape));
            int[] withOne = Shape.withAxis(shape, rng.nextInt(rank), 1);
            int one = java.util.stream.IntStream.range(0, rank).filter(i -> withOne[i] == 1).findFirst().orElseThrow();
            check("squeeze", in -> in.get(0).squeeze(one).tanh(), Inputs.random(rng, layout, withOne));
            check("contiguous", in -> in.get(0).contiguous().tanh(), Inputs.random(rng, layout, shape));
        });
    }

    private static int[] shuffled(SplittableRandom rng, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
