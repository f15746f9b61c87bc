package dev.gmsa.compress.train;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;

import java.util.SplittableRandom;

/** Next-token pre-training of a decoder on random windows of a token stream (how the embedded model learns language). */
public final class LanguageModelTraining {
    private LanguageModelTraining() {}

    public static TrainingLoop.Result train(Transformer model, int[] tokens, int batch, int window, TrainingLoop.Settings settings,
                                            LossCurve curve) {
        if (tokens.length < window + 2)
            throw new IllegalArgumentException("training text has " + tokens.length + " tokens, fewer than one window of " + (window + 1));
        model.parameters().values().forEach(p -> p.requiresGrad(true));
        return TrainingLoop.run("pretrain", model.parameters(), settings, (step, rng) -> {
            Tensor[] b = sampleWindows(tokens, batch, window, rng);
            Var loss = model.forward(b[0], 0, null).reshape(batch * window, -1).crossEntropy(b[1], -1);
            loss.backward();
            return new TrainingLoop.StepResult(loss.item(), (long) batch * window);
        }, curve);
    }

    /** Trains on sequences drawn from {@code sequences} (each of the same length: inputs and shifted targets). */
    public static TrainingLoop.Result train(Transformer model, java.util.function.Function<SplittableRandom, int[]> sequences, int batch,
                                            TrainingLoop.Settings settings, LossCurve curve) {
        return train(model, sequences, batch, settings, curve, null);
    }

    public static TrainingLoop.Result train(Transformer model, java.util.function.Function<SplittableRandom, int[]> sequences, int batch,
                                            TrainingLoop.Settings settings, LossCurve curve, TrainingLoop.StepListener listener) {
        model.parameters().values().forEach(p -> p.requiresGrad(true));
        return TrainingLoop.run("pretrain", model.parameters(), settings, (step, rng) -> {
            int[][] seqs = new int[batch][];
            for (int b = 0; b < batch; b++) seqs[b] = sequences.apply(rng);
            int t = seqs[0].length - 1;
            int[] inputs = new int[batch * t], targets = new int[batch * t];
            for (int b = 0; b < batch; b++) {
                if (seqs[b].length != t + 1) throw new IllegalArgumentException("pre-training sequences differ in length: " + seqs[b].length + " vs " + (t + 1));
                System.arraycopy(seqs[b], 0, inputs, b * t, t);
                System.arraycopy(seqs[b], 1, targets, b * t, t);
            }
            Var loss = model.forward(Tensor.ofInts(inputs, batch, t), 0, null).reshape(batch * t, -1).crossEntropy(Tensor.ofInts(targets), -1);
            loss.backward();
            return new TrainingLoop.StepResult(loss.item(), (long) batch * t);
        }, curve, listener);
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
