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
