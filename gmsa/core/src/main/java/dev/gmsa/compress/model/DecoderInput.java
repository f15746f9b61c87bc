package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.fused.CrossEntropy;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;

import java.util.List;

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
        return of(decoder, softTokens, prompt, new int[][] {answer}, eos);
    }

    /**
     * A batch: softTokens [B, G, D] (or null), one prompt for all, answers of one length. The loss is the mean
     * over every scored token, which for equal lengths is the mean of the examples' own losses.
     */
    public static DecoderInput of(Transformer decoder, Var softTokens, int[] prompt, int[][] answers, int eos) {
        int batch = answers.length, answerLength = answers[0].length;
        if (softTokens != null && softTokens.size(0) != batch)
            throw new IllegalArgumentException("decoder input: " + softTokens.size(0) + " soft-token rows for " + batch + " answers");
        int g = softTokens == null ? 0 : softTokens.size(1);
        int textLength = prompt.length + answerLength, length = g + textLength;
        if (length == 0) throw new IllegalArgumentException("decoder input is empty");
        requireFits(decoder, g, textLength, "decoder input");
        int[] inputIds = new int[batch * textLength];
        int[] targets = new int[batch * length];
        java.util.Arrays.fill(targets, IGNORE);
        int firstScored = g + prompt.length - 1; // this position predicts the first answer token
        for (int b = 0; b < batch; b++) {
            int[] answer = answers[b];
            if (answer.length != answerLength)
                throw new IllegalArgumentException("decoder input: a batch needs answers of one length, got " + answer.length + " and " + answerLength);
            System.arraycopy(prompt, 0, inputIds, b * textLength, prompt.length);
            System.arraycopy(answer, 0, inputIds, b * textLength + prompt.length, answerLength);
            for (int i = 0; i <= answerLength; i++) {
                int position = firstScored + i;
                if (position < 0) continue; // no soft tokens and no prompt: the first answer token has no predictor
                targets[b * length + position] = i < answerLength ? answer[i] : eos;
            }
        }
        Var text = textLength == 0 ? null : decoder.embed(Tensor.ofInts(inputIds, batch, textLength));
        Var embeddings = softTokens == null ? text : text == null ? softTokens : Var.concat(1, softTokens, text);
        return new DecoderInput(embeddings, Tensor.ofInts(targets));
    }

    /**
     * A conversation over one context: [soft tokens][context] then, for each turn, [question][answer EOS], with the loss
     * on every answer token and its EOS only (the last EOS is a target, never an input). One turn with an empty
     * context gives the same input and targets as {@link #of(Transformer, Var, int[], int[], int)}.
     */
    public static DecoderInput ofTurns(Transformer decoder, Var softTokens, int[] context, List<int[]> questions, List<int[]> answers, int eos) {
        if (questions.size() != answers.size() || questions.isEmpty())
            throw new IllegalArgumentException("decoder input: " + questions.size() + " questions for " + answers.size() + " answers");
        int g = softTokens == null ? 0 : softTokens.size(1);
        int total = context.length;
        for (int i = 0; i < questions.size(); i++) total += questions.get(i).length + answers.get(i).length + 1;
        int[] text = new int[total];
        boolean[] scored = new boolean[total];
        int at = copy(context, text, 0);
        for (int i = 0; i < questions.size(); i++) {
            at = copy(questions.get(i), text, at);
            int answerStart = at;
            at = copy(answers.get(i), text, at);
            text[at++] = eos;
            java.util.Arrays.fill(scored, answerStart, at, true);
        }
        int inputLength = total - 1; // the last EOS is only predicted
        requireFits(decoder, g, inputLength, "decoder input");
        int[] targets = new int[g + inputLength];
        java.util.Arrays.fill(targets, IGNORE);
        for (int j = 0; j < total; j++) {
            int position = g + j - 1; // the position that predicts text[j]
            if (scored[j] && position >= 0) targets[position] = text[j];
        }
        Var textEmbeddings = inputLength == 0 ? null : decoder.embed(Tensor.ofInts(java.util.Arrays.copyOf(text, inputLength), 1, inputLength));
        Var embeddings = softTokens == null ? textEmbeddings : textEmbeddings == null ? softTokens : Var.concat(1, softTokens, textEmbeddings);
        return new DecoderInput(embeddings, Tensor.ofInts(targets));
    }

    private static int copy(int[] from, int[] into, int at) {
        System.arraycopy(from, 0, into, at, from.length);
        return at + from.length;
    }

    /**
     * What the decoder generates from: [soft tokens][prompt ids] as input embeddings [1, G + P, D], after checking
     * they fit its positions. softTokens may be null (the prompt alone).
     */
    public static Var prompt(Transformer decoder, Var softTokens, int[] promptIds) {
        int g = softTokens == null ? 0 : softTokens.size(1);
        if (g + promptIds.length == 0) throw new IllegalArgumentException("decoder prompt is empty");
        requireFits(decoder, g, promptIds.length, "decoder prompt");
        if (promptIds.length == 0) return softTokens;
        Var text = decoder.embed(Tensor.ofInts(promptIds, 1, promptIds.length));
        return softTokens == null ? text : Var.concat(1, softTokens, text);
    }

    /**
     * Throws unless softTokens + textTokens positions fit the decoder's max_position_embeddings: long contexts are
     * compressed window by window only up to the decoder's context.
     */
    public static void requireFits(Transformer decoder, int softTokens, int textTokens, String what) {
        int positions = decoder.config().maxPositionEmbeddings();
        if (softTokens + textTokens <= positions) return;
        String advice = softTokens == 0 ? "shorten the context"
                : "compress at a higher rate or give fewer windows (a shorter context)";
        throw new IllegalArgumentException(what + ": " + softTokens + " soft tokens + " + textTokens + " prompt/text tokens = "
                + (softTokens + textTokens) + " positions, but the decoder has max_position_embeddings " + positions + "; " + advice);
    }

    /**
     * How many tokens can be generated after a prompt of promptLength positions: the last generated token is never
     * fed back, so n tokens use positions up to promptLength + n - 1.
     */
    public static int generationBudget(Transformer decoder, int promptLength, int maxNewTokens) {
        return Math.min(maxNewTokens, decoder.config().maxPositionEmbeddings() - promptLength + 1);
    }

    /** Mean cross-entropy of the decoder over the scored positions. */
    public Var loss(Transformer decoder) {
        Var logits = decoder.forwardEmbeddings(embeddings, 0, null);
        return logits.reshape(targets.numel(), -1).crossEntropy(targets, IGNORE);
    }

    public int scoredTokens() {
        return CrossEntropy.countNotIgnored(targets, IGNORE);
    }
}
