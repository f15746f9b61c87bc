package dev.gmsa.compress.train;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.AdamW;
import dev.gmsa.autograd.optim.GradClip;
import dev.gmsa.autograd.optim.LinearSchedule;
import dev.gmsa.autograd.optim.ParamGroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The one training loop every stage uses (pre-training, autoencoding, KEFT): AdamW with decoupled weight
 * decay, linear warm-up then decay, clipping by global L2 norm, progress with loss / tokens/s / ETA, a loss
 * curve, and atomic resumable checkpoints. The stage supplies only what one step computes.
 */
public final class TrainingLoop {
    /** Hyper-parameters of a run; checkpoint may be null (no checkpoints), checkpointEvery 0 = only at the end. */
    public record Settings(int steps, float learningRate, int warmupSteps, float clipNorm, float weightDecay, long seed,
                           Path checkpoint, int checkpointEvery) {
        public Settings {
            if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            if (!(learningRate > 0)) throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }

        /** {@code steps} at a peak {@code learningRate}: no warm-up, clip 1, no weight decay, seed 1, no checkpoint. */
        public static Settings of(int steps, float learningRate) {
            return new Settings(steps, learningRate, 0, 1f, 0f, 1, null, 0);
        }

        public Settings warmup(int warmup) {
            return new Settings(steps, learningRate, warmup, clipNorm, weightDecay, seed, checkpoint, checkpointEvery);
        }

        public Settings clip(float norm) {
            return new Settings(steps, learningRate, warmupSteps, norm, weightDecay, seed, checkpoint, checkpointEvery);
        }

        public Settings weightDecay(float decay) {
            return new Settings(steps, learningRate, warmupSteps, clipNorm, decay, seed, checkpoint, checkpointEvery);
        }

        public Settings seed(long s) {
            return new Settings(steps, learningRate, warmupSteps, clipNorm, weightDecay, s, checkpoint, checkpointEvery);
        }

        /** Resumable from {@code file}, written every {@code every} steps (0: only at the end). */
        public Settings checkpoint(Path file, int every) {
            return new Settings(steps, learningRate, warmupSteps, clipNorm, weightDecay, seed, file, every);
        }
    }

    /** One step's work: run the batch, call backward on it, and say what it cost. */
    @FunctionalInterface
    public interface Step {
        /** @param rng a generator seeded by (seed, step): the same step draws the same batch after a resume */
        StepResult run(int step, SplittableRandom rng);
    }

    public record StepResult(double loss, long tokens) {}

    public record Result(float[] losses, int resumedAt, double tokensPerSecond, double seconds) {}

    private TrainingLoop() {}

    /** Told about every finished step (1-based) and its loss, e.g. to print the loss as it falls. */
    @FunctionalInterface
    public interface StepListener {
        void stepDone(int step, float loss);
    }

    public static Result run(String name, Map<String, Var> trainable, Settings s, Step body, LossCurve curve) {
        return run(name, trainable, s, body, curve, null);
    }

    public static Result run(String name, Map<String, Var> trainable, Settings s, Step body, LossCurve curve, StepListener listener) {
        List<Var> params = new ArrayList<>(trainable.values());
        AdamW optimizer = new AdamW(List.of(new ParamGroup(params, s.learningRate(), s.weightDecay())), 0.9f, 0.999f, 1e-8f);
        LinearSchedule schedule = new LinearSchedule(s.warmupSteps(), s.steps());
        float[] losses = new float[s.steps()];
        int start = TrainingCheckpoint.resume(s.checkpoint(), name, s.seed(), trainable, optimizer, losses);
        if (curve != null) for (int i = 0; i < start; i++) curve.add(name, i + 1, losses[i]);
        try (TrainingProgress progress = new TrainingProgress(name, s.steps(), start)) {
            for (int step = start; step < s.steps(); step++) {
                optimizer.zeroGrad();
                StepResult r = body.run(step, stepRandom(s.seed(), step));
                GradClip.clipGlobalNorm(params, s.clipNorm());
                optimizer.setLearningRateScale(schedule.multiplier(step));
                optimizer.step();
                losses[step] = (float) r.loss();
                if (curve != null) curve.add(name, step + 1, r.loss());
                progress.step(losses[step], r.tokens());
                if (listener != null) listener.stepDone(step + 1, losses[step]);
                boolean last = step + 1 == s.steps();
                if (s.checkpoint() != null && (last || (s.checkpointEvery() > 0 && (step + 1) % s.checkpointEvery() == 0)))
                    TrainingCheckpoint.save(s.checkpoint(), name, step + 1, s.seed(), trainable, optimizer, losses);
            }
            optimizer.zeroGrad();
            return new Result(losses, start, progress.tokensPerSecond(), progress.elapsedSeconds());
        }
    }

    /** The generator for one step: independent of how many steps ran before in this process. */
    static SplittableRandom stepRandom(long seed, int step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 0xBF58476D1CE4E5B9L + 1);
    }
}
