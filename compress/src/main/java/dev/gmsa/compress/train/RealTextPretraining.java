package dev.gmsa.compress.train;

import dev.gmsa.autograd.Grad;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;

import java.util.SplittableRandom;

/** Measures a pre-trained decoder on text it never saw: mean next-token loss over fixed windows of held-out documents. */
public final class RealTextPretraining {
    private RealTextPretraining() {}

    /**
     * Mean cross-entropy (nats per token) over {@code windows} windows of {@code length} tokens at seeded positions of
     * {@code heldOutStream}: the same windows for every model, so losses compare across runs.
     */
    public static double heldOutLoss(Transformer model, int[] heldOutStream, int length, int windows, long seed) {
        if (heldOutStream.length < length + 2)
            throw new IllegalArgumentException("held-out text has " + heldOutStream.length + " tokens, fewer than one window of " + (length + 1));
        SplittableRandom rng = new SplittableRandom(seed);
        double sum = 0;
        try (var noGrad = Grad.disabled()) {
            for (int w = 0; w < windows; w++) {
                Tensor[] b = LanguageModelTraining.sampleWindows(heldOutStream, 1, length, rng);
                sum += model.forward(b[0], 0, null).reshape(length, -1).crossEntropy(b[1], -1).item();
            }
        }
        return sum / windows;
    }
}
