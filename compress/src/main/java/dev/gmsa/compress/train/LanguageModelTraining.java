package dev.gmsa.compress.train;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.AdamW;
import dev.gmsa.autograd.optim.GradClip;
import dev.gmsa.autograd.optim.LinearSchedule;
import dev.gmsa.autograd.optim.ParamGroup;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Next-token pre-training of a decoder on a token stream: random windows, AdamW, linear warm-up and
 * decay, clipping by global norm. The embedded default model learns language this way before GMSA.
 */
public final class LanguageModelTraining {
    public record Settings(int steps, int batch, int window, float learningRate, int warmupSteps, float clipNorm,
                           float weightDecay, long seed) {}

    /** What a run produced: the loss of every step. */
    public record Result(float[] losses, double tokensPerSecond, double seconds) {}

    private LanguageModelTraining() {}

    /** Trains every parameter of {@code model} on windows of {@code tokens}; onStep gets the step number after each step. */
    public static Result train(Transformer model, int[] tokens, Settings s, LossCurve curve, IntConsumer onStep) {
        if (tokens.length < s.window() + 2)
            throw new IllegalArgumentException("training text has " + tokens.length + " tokens, fewer than one window of " + (s.window() + 1));
        List<Var> params = new ArrayList<>(model.parameters().values());
        AdamW optimizer = new AdamW(List.of(new ParamGroup(params, s.learningRate(), s.weightDecay())), 0.9f, 0.95f, 1e-8f);
        LinearSchedule schedule = new LinearSchedule(s.warmupSteps(), s.steps());
        SplittableRandom rng = new SplittableRandom(s.seed());
        float[] losses = new float[s.steps()];
        try (TrainingProgress progress = new TrainingProgress("pretrain", s.steps(), 0)) {
            for (int step = 0; step < s.steps(); step++) {
                Tensor[] batch = sampleWindows(tokens, s.batch(), s.window(), rng);
                Var logits = model.forward(batch[0], 0, null);
                Var loss = logits.reshape(s.batch() * s.window(), -1).crossEntropy(batch[1], -1);
                optimizer.zeroGrad();
                loss.backward();
                GradClip.clipGlobalNorm(params, s.clipNorm());
                optimizer.setLearningRateScale(schedule.multiplier(step));
                optimizer.step();
                losses[step] = loss.item();
                if (curve != null) curve.add("pretrain", step + 1, losses[step]);
                progress.step(losses[step], (long) s.batch() * s.window());
                if (onStep != null) onStep.accept(step + 1);
            }
            return new Result(losses, progress.tokensPerSecond(), progress.elapsedSeconds());
        }
    }

    /** inputs [B, T] and flattened next-token targets [B*T], from random windows of the stream. */
    static Tensor[] sampleWindows(int[] tokens, int batch, int window, SplittableRandom rng) {
        int[] inputs = new int[batch * window], targets = new int[batch * window];
        for (int b = 0; b < batch; b++) {
            int start = rng.nextInt(tokens.length - window - 1);
            System.arraycopy(tokens, start, inputs, b * window, window);
            System.arraycopy(tokens, start + 1, targets, b * window, window);
        }
        return new Tensor[] {Tensor.ofInts(inputs, batch, window), Tensor.ofInts(targets)};
    }
}
