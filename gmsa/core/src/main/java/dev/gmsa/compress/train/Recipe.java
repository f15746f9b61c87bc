package dev.gmsa.compress.train;

import java.nio.file.Path;

/**
 * One training stage's hyper-parameters, named once in {@link Recipes}: the commands' defaults and the demo read them
 * from there, so the numbers that made a shipped artifact are the numbers a user gets.
 *
 * @param warmupSteps linear warm-up, then linear decay to 0 at {@code steps}
 */
public record Recipe(String stage, int steps, int batch, float learningRate, int warmupSteps, float clipNorm, float weightDecay) {
    public Recipe {
        if (steps < 1 || batch < 1) throw new IllegalArgumentException(stage + ": steps and batch must be >= 1, got " + steps + ", " + batch);
        if (warmupSteps < 0 || warmupSteps > steps) throw new IllegalArgumentException(stage + ": warm-up " + warmupSteps + " outside 0.." + steps);
    }

    /** The same recipe with another step budget, the warm-up scaled with it. */
    public Recipe withSteps(int newSteps) {
        return new Recipe(stage, newSteps, batch, learningRate, Math.max(1, (int) ((long) warmupSteps * newSteps / steps)), clipNorm, weightDecay);
    }

    /**
     * This recipe with a command's overrides, each null for "keep the recipe's": a new step budget scales the warm-up
     * unless the warm-up is given too.
     */
    public Recipe withOverrides(Integer newSteps, Integer newBatch, Float newLearningRate, Integer newWarmup, Float newClip, Float newWeightDecay) {
        Recipe r = newSteps != null ? withSteps(newSteps) : this;
        return new Recipe(stage, r.steps, newBatch != null ? newBatch : batch, newLearningRate != null ? newLearningRate : learningRate,
                newWarmup != null ? newWarmup : r.warmupSteps, newClip != null ? newClip : clipNorm,
                newWeightDecay != null ? newWeightDecay : weightDecay);
    }

    public TrainingLoop.Settings settings(long seed, Path checkpoint, int checkpointEvery) {
        return new TrainingLoop.Settings(steps, learningRate, warmupSteps, clipNorm, weightDecay, seed, checkpoint, checkpointEvery);
    }
}
