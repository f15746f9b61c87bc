package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.data.RealTextCorpus;
import dev.gmsa.compress.data.SyntheticMultiDocQa;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the default decoder is pre-trained on: fixed-length sequences packed from three kinds of segment, each
 * ended by EOS, drawn with the given shares:
 * <ul>
 *   <li>text: a window of the training documents (language);</li>
 *   <li>copy: "[text] Restate the aforementioned Text. [the same text]" (the copying the autoencoder builds on,
 *       in the instruction the autoencoder reads after the soft tokens);</li>
 *   <li>qa: real-text passages with one fact each, then " Question: ... Answer: ..." (reading, as KEFT asks).</li>
 * </ul>
 */
public final class PretrainingMixture {
    /** Probabilities of each segment kind (they need not sum to 1: they are normalised). */
    public record Shares(double text, double copy, double qa) {
        public Shares {
            if (text < 0 || copy < 0 || qa < 0 || text + copy + qa <= 0)
                throw new IllegalArgumentException("segment shares must be >= 0 and not all 0, got " + text + ", " + copy + ", " + qa);
        }
    }

    /** Shortest passage of a QA segment's document, in characters (what the shipped decoder was pre-trained with). */
    public static final int QA_PASSAGE_CHARS = 220;

    private final Tokenizer tokenizer;
    private final List<String> documents;
    private final int[] stream;
    private final int[] instruction;
    private final int eos;
    private final Shares shares;
    private final int maxCopyTokens, maxQaDocuments;

    /**
     * @param documents      training documents (never the held-out ones)
     * @param maxCopyTokens  longest text a copy segment restates
     * @param maxQaDocuments most documents in a QA segment (at least 2 are drawn)
     */
    public PretrainingMixture(Tokenizer tokenizer, List<String> documents, String instruction, int eos, Shares shares,
                              int maxCopyTokens, int maxQaDocuments) {
        if (documents.isEmpty()) throw new IllegalArgumentException("pre-training needs at least one document");
        this.tokenizer = tokenizer;
        this.documents = List.copyOf(documents);
        this.stream = tokenStream(tokenizer, documents, eos);
        this.instruction = tokenizer.encode(" " + instruction.strip() + " ");
        this.eos = eos;
        this.shares = shares;
        this.maxCopyTokens = maxCopyTokens;
        this.maxQaDocuments = Math.max(2, maxQaDocuments);
    }

    /** Every document's ids, each followed by EOS. */
    public static int[] tokenStream(Tokenizer tokenizer, List<String> documents, int eos) {
        int[][] parts = documents.parallelStream().map(tokenizer::encode).toArray(int[][]::new);
        int total = 0;
        for (int[] p : parts) total += p.length + 1;
        int[] out = new int[total];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
            out[at++] = eos;
        }
        return out;
    }

    public int streamTokens() {
        return stream.length;
    }

    /** One training sequence of exactly {@code length} ids (inputs and, shifted by one, targets). */
    public int[] sequence(SplittableRandom rng, int length) {
        int[] out = new int[length];
        int at = 0;
        while (at < length) {
            int[] segment = segment(rng, length - at);
            int n = Math.min(segment.length, length - at);
            System.arraycopy(segment, 0, out, at, n);
            at += n;
        }
        return out;
    }

    private int[] segment(SplittableRandom rng, int room) {
        double total = shares.text() + shares.copy() + shares.qa();
        double u = rng.nextDouble() * total;
        if (u < shares.text()) return textWindow(rng, Math.max(1, room));
        if (u < shares.text() + shares.copy()) return copyTask(rng, room);
        return qaExample(rng);
    }

    /** A window of the document stream (it may cross a document's EOS, as packed pre-training does). */
    int[] textWindow(SplittableRandom rng, int tokens) {
        int n = Math.min(tokens, stream.length);
        int start = rng.nextInt(stream.length - n + 1);
        return Arrays.copyOfRange(stream, start, start + n);
    }

    /** [text][instruction][text][EOS], the text between 8 tokens and what fits (at most maxCopyTokens). */
    int[] copyTask(SplittableRandom rng, int room) {
        int fit = Math.min(maxCopyTokens, (room - instruction.length - 1) / 2);
        int n = fit < 8 ? 8 + rng.nextInt(Math.max(1, maxCopyTokens - 7)) : 8 + rng.nextInt(fit - 7);
        int[] text = textWindow(rng, n);
        int[] out = new int[2 * text.length + instruction.length + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        System.arraycopy(instruction, 0, out, text.length, instruction.length);
        System.arraycopy(text, 0, out, text.length + instruction.length, text.length);
        out[out.length - 1] = eos;
        return out;
    }

    /** A multi-document QA example over real passages, written as the decoder reads a prompt, answer, EOS. */
    int[] qaExample(SplittableRandom rng) {
        int docs = 2 + rng.nextInt(maxQaDocuments - 1);
        QaExample qa = SyntheticMultiDocQa.generate(rng.nextLong(), 1, SyntheticMultiDocQa.Settings.defaults().withDocuments(docs),
                RealTextCorpus.passageFiller(documents, QA_PASSAGE_CHARS, Integer.MAX_VALUE)).get(0).qa();
        QaPrompt p = QaPrompt.defaults();
        int[] context = p.context(tokenizer, qa), question = p.question(tokenizer, qa.question()), answer = p.answer(tokenizer, qa.answers().get(0));
        int[] out = new int[context.length + question.length + answer.length + 1];
        System.arraycopy(context, 0, out, 0, context.length);
        System.arraycopy(question, 0, out, context.length, question.length);
        System.arraycopy(answer, 0, out, context.length + question.length, answer.length);
        out[out.length - 1] = eos;
        return out;
    }
}
