package dev.gmsa.compress.model;

import dev.gmsa.autograd.GradCheck;
import dev.gmsa.autograd.Inputs;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.onReference;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pooling that compresses a sequence into group means: its defining invariants, forward and backward. */
class GroupMeanPoolProperties {

    @Property(tries = 60)
    void aConstantSequencePoolsToTheSameConstant(@ForAll @IntRange(min = 1, max = 13) int length,
                                                 @ForAll @IntRange(min = 1, max = 5) int groupSize,
                                                 @ForAll @IntRange(min = -50, max = 50) int c) {
        onReference(() -> {
            Var pooled = GroupMeanPool.apply(Var.constant(Tensor.full(c / 7f, 2, length, 3)), 1, groupSize);
            for (float v : pooled.value().toFloatArray()) assertEquals(c / 7f, v, 1e-5f);
        });
    }

    @Property(tries = 60)
    void groupMeansWeightedByGroupLengthSumToTheSequenceMean(@ForAll long seed, @ForAll Layout layout,
                                                             @ForAll @IntRange(min = 1, max = 13) int length,
                                                             @ForAll @IntRange(min = 1, max = 5) int groupSize) {
        onReference(() -> {
            Tensor x = Inputs.random(new SplittableRandom(seed), layout, length, 2);
            float[] pooled = GroupMeanPool.apply(Var.constant(x), 0, groupSize).value().toFloatArray(); // [groups, 2]
            float[] mean = x.mean(0, false).toFloatArray();
            int groups = pooled.length / 2;
            for (int d = 0; d < 2; d++) {
                double weighted = 0;
                for (int g = 0; g < groups; g++) weighted += pooled[g * 2 + d] * (Math.min((g + 1) * groupSize, length) - g * groupSize);
                assertEquals(mean[d], weighted / length, 1e-5);
            }
        });
    }

    @Property(tries = 60)
    void permutingPositionsWithinAGroupChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 13) int length,
                                                      @ForAll @IntRange(min = 1, max = 5) int groupSize) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            Tensor x = Inputs.random(rng, Layout.CONTIGUOUS, 3, length);
            int[] order = new int[length];
            for (int start = 0; start < length; start += groupSize) {
                int end = Math.min(start + groupSize, length);
                for (int i = start; i < end; i++) order[i] = i;
                for (int i = end - 1; i > start; i--) { // shuffle inside [start, end)
                    int j = start + rng.nextInt(i - start + 1), t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            Var original = Var.param(x), shuffled = Var.param(x.indexSelect(1, Tensor.ofInts(order)));
            Tensor weights = Tensor.randn(seed, 1f, Shape.withAxis(x.shape(), 1, (length + groupSize - 1) / groupSize));
            Var a = GroupMeanPool.apply(original, 1, groupSize), b = GroupMeanPool.apply(shuffled, 1, groupSize);
            GradCheck.assertAllClose("pooled", a.value().toFloatArray(), b.value().toFloatArray(), 1e-6, 1e-6);
            a.backward(weights);
            b.backward(weights);
            // each position's gradient is its group's gradient over the group length, wherever it sits in the group
            GradCheck.assertAllClose("gradient", original.grad().indexSelect(1, Tensor.ofInts(order)).toFloatArray(),
                    shuffled.grad().toFloatArray(), 1e-6, 1e-7);
        });
    }

    @Property(tries = 50)
    void backwardGivesEachPositionItsGroupsGradientOverTheGroupLength(@ForAll @IntRange(min = 1, max = 13) int length,
                                                                      @ForAll @IntRange(min = 1, max = 5) int groupSize) {
        onReference(() -> {
            Var x = Var.param(Tensor.zeros(length));
            int groups = (length + groupSize - 1) / groupSize;
            Tensor dy = Tensor.arange(groups).add(1f);
            GroupMeanPool.apply(x, 0, groupSize).backward(dy);
            float[] grad = x.grad().toFloatArray();
            for (int pos = 0; pos < length; pos++) {
                int g = pos / groupSize, groupLength = Math.min((g + 1) * groupSize, length) - g * groupSize;
                assertEquals((g + 1f) / groupLength, grad[pos], 1e-6f);
            }
        });
    }

    @Property(tries = 50)
    void theBackwardMatchesFiniteDifferences(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank,
                                             @ForAll @IntRange(min = 1, max = 4) int groupSize) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 6);
            int axis = rng.nextInt(rank);
            GradCheck.check("groupMeanPool(" + axis + ", " + groupSize + ")", in -> GroupMeanPool.apply(in.get(0), axis, groupSize).tanh(),
                    Inputs.random(rng, layout, shape));
        });
    }
}
