package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;

/**
 * What the decoder reads and what it must predict: [soft tokens][prompt tokens][target tokens], with the
 * loss on the targets followed by EOS (teacher forcing). For autoencoding the prompt is the instruction and
 * the targets are the original text; for KEFT the prompt is the question and the targets the answer.
 */
public record DecoderInput(Var embeddings, Tensor targets) {
    public static final int IGNORE = -100;

    /**
     * @param softTokens [1, G, D] from a compressor (may be null for the no-soft-token baseline)
     * @param prompt     ids placed after the soft tokens, not scored
     * @param answer     ids to predict; EOS is appended as the last target
     */
    public static DecoderInput of(Transformer decoder, Var softTokens, int[] prompt, int[] answer, int eos) {
        int g = softTokens == null ? 0 : softTokens.size(1);
        int[] inputIds = new int[prompt.length + answer.length];
        System.arraycopy(prompt, 0, inputIds, 0, prompt.length);
        System.arraycopy(answer, 0, inputIds, prompt.length, answer.length);
        if (g + inputIds.length == 0) throw new IllegalArgumentException("decoder input is empty");
        Var text = inputIds.length == 0 ? null : decoder.embed(Tensor.ofInts(inputIds, 1, inputIds.length));
        Var embeddings = softTokens == null ? text : text == null ? softTokens : Var.concat(1, softTokens, text);
        int length = g + inputIds.length;
        int[] targets = new int[length];
        java.util.Arrays.fill(targets, IGNORE);
        int firstScored = g + prompt.length - 1; // this position predicts the first answer token
        for (int i = 0; i <= answer.length; i++) {
            int position = firstScored + i;
            if (position < 0) continue; // no soft tokens and no prompt: the first answer token has no predictor
            targets[position] = i < answer.length ? answer[i] : eos;
        }
        return new DecoderInput(embeddings, Tensor.ofInts(targets));
    }

    /** Mean cross-entropy of the decoder over the scored positions. */
    public Var loss(Transformer decoder) {
        Var logits = decoder.forwardEmbeddings(embeddings, 0, null);
        return logits.reshape(targets.numel(), -1).crossEntropy(targets, IGNORE);
    }

    public int scoredTokens() {
        return Tensor.countNotIgnored(targets, IGNORE);
    }
}
