package dev.gmsa.compress.train;

import dev.gmsa.autograd.fused.CrossEntropy;
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

    /** How well a decoder restates text: loss and greedy (argmax) token accuracy on the restated half only. */
    public record CopyScore(double loss, double tokenAccuracy) {}

    /**
     * "[window] instruction [window]" for {@code windows} seeded windows of {@code length} held-out tokens, teacher
     * forced: the mean loss and argmax accuracy of the second window's tokens. A decoder with an induction circuit
     * scores near 0 and 1; one without scores about its plain held-out loss.
     */
    public static CopyScore heldOutCopy(Transformer model, int[] heldOutStream, int[] instruction, int length, int windows, long seed) {
        if (heldOutStream.length < length + 2)
            throw new IllegalArgumentException("held-out text has " + heldOutStream.length + " tokens, fewer than one window of " + (length + 1));
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 2 * length + instruction.length;
        double lossSum = 0;
        long right = 0;
        try (var noGrad = Grad.disabled()) {
            for (int w = 0; w < windows; w++) {
                int start = rng.nextInt(heldOutStream.length - length);
                int[] seq = new int[n];
                System.arraycopy(heldOutStream, start, seq, 0, length);
                System.arraycopy(instruction, 0, seq, length, instruction.length);
                System.arraycopy(heldOutStream, start, seq, length + instruction.length, length);
                int[] inputs = java.util.Arrays.copyOf(seq, n - 1), targets = new int[n - 1];
                for (int i = 0; i < n - 1; i++) targets[i] = i + 1 >= length + instruction.length ? seq[i + 1] : -1;
                Tensor logits = model.forward(Tensor.ofInts(inputs, 1, n - 1), 0, null).value().reshape(n - 1, -1);
                lossSum += CrossEntropy.mean(logits, Tensor.ofInts(targets), -1).item();
                int[] guess = logits.argmax(1, false).toIntArray();
                for (int i = 0; i < n - 1; i++) if (targets[i] >= 0 && guess[i] == targets[i]) right++;
            }
        }
        return new CopyScore(lossSum / windows, right / (double) ((long) windows * length));
    }
}
