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
 *   <li>copy: "[text] Restate the aforementioned Text. [the same text]", restated as often as the room holds (the
 *       copying the autoencoder builds on, in the instruction the autoencoder reads after the soft tokens); a
 *       scrambled copy does the same with random tokens;</li>
 *   <li>qa: real-text passages with one fact each, then " Question: ... Answer: ..." EOS (reading, as KEFT asks);
 *       as a drill, one such question and answer per document after the same context.</li>
 * </ul>
 */
public final class PretrainingMixture {
    /**
     * Probabilities of each segment kind (they need not sum to 1: they are normalised). A scrambled copy restates
     * tokens drawn at random positions of the stream: with no language to lean on, only copying lowers its loss, the
     * shortest route to the induction circuit that restating (and reading answers out of a context) needs.
     */
    public record Shares(double text, double copy, double qa, double scrambledCopy) {
        public Shares {
            if (text < 0 || copy < 0 || qa < 0 || scrambledCopy < 0 || text + copy + qa + scrambledCopy <= 0)
                throw new IllegalArgumentException("segment shares must be >= 0 and not all 0, got "
                        + text + ", " + copy + ", " + qa + ", " + scrambledCopy);
        }

        public Shares(double text, double copy, double qa) {
            this(text, copy, qa, 0);
        }

        double total() {
            return text + copy + qa + scrambledCopy;
        }
    }

    /** Longest text a scrambled copy restates: short lists are where an induction circuit is learned first. */
    public static final int MAX_SCRAMBLED_COPY_TOKENS = 64;

    /** Shortest passage of a QA segment's document, in characters (what the shipped decoder was pre-trained with). */
    public static final int QA_PASSAGE_CHARS = 220;

    /**
     * How QA segments are drawn: between minDocuments and maxDocuments documents of passages of minChars..maxChars
     * characters; a drill asks every document's question after the context (else one question), and a drill that does
     * not fit the rest of the sequence gives way to text rather than being cut.
     */
    public record QaSegments(int minDocuments, int maxDocuments, int minChars, int maxChars, boolean drill) {
        public QaSegments {
            if (minDocuments < 1 || maxDocuments < minDocuments)
                throw new IllegalArgumentException("QA documents per segment must satisfy 1 <= min <= max, got " + minDocuments + ".." + maxDocuments);
            if (minChars < 1 || maxChars < minChars)
                throw new IllegalArgumentException("QA passage characters must satisfy 1 <= min <= max, got " + minChars + ".." + maxChars);
        }

        /** The shipped decoder's first stage: 2..max documents, one question, passages of at least 220 characters. */
        public static QaSegments singleQuestion(int maxDocuments) {
            return new QaSegments(2, Math.max(2, maxDocuments), QA_PASSAGE_CHARS, Integer.MAX_VALUE, false);
        }

        /** Reading drills over passages shaped like the evaluation's (QaData.realText: 150..300 characters). */
        public static QaSegments drills(int minDocuments, int maxDocuments) {
            return new QaSegments(minDocuments, maxDocuments, QaData.PASSAGE_MIN_CHARS, QaData.PASSAGE_MAX_CHARS, true);
        }
    }

    private final Tokenizer tokenizer;
    private final List<String> documents;
    private final int[] stream;
    private final int[] instruction;
    private final int eos;
    private final Shares shares;
    private final int maxCopyTokens;
    private final QaSegments qa;

    /**
     * @param documents      training documents (never the held-out ones)
     * @param maxCopyTokens  longest text a copy segment restates
     * @param maxQaDocuments most documents in a QA segment (at least 2 are drawn)
     */
    public PretrainingMixture(Tokenizer tokenizer, List<String> documents, String instruction, int eos, Shares shares,
                              int maxCopyTokens, int maxQaDocuments) {
        this(tokenizer, documents, instruction, eos, shares, maxCopyTokens, QaSegments.singleQuestion(maxQaDocuments));
    }

    public PretrainingMixture(Tokenizer tokenizer, List<String> documents, String instruction, int eos, Shares shares,
                              int maxCopyTokens, QaSegments qa) {
        if (documents.isEmpty()) throw new IllegalArgumentException("pre-training needs at least one document");
        this.tokenizer = tokenizer;
        this.documents = List.copyOf(documents);
        this.stream = tokenStream(tokenizer, documents, eos);
        if (Arrays.stream(stream).allMatch(id -> id == eos)) throw new IllegalArgumentException("pre-training documents are all empty");
        this.instruction = tokenizer.encode(" " + instruction.strip() + " ");
        this.eos = eos;
        this.shares = shares;
        this.maxCopyTokens = maxCopyTokens;
        this.qa = qa;
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
        double u = rng.nextDouble() * shares.total();
        if (u < shares.text()) return textWindow(rng, Math.max(1, room));
        if (u < shares.text() + shares.copy()) return copyTask(rng, room);
        if (u < shares.text() + shares.copy() + shares.scrambledCopy()) return scrambledCopyTask(rng, room);
        if (!qa.drill()) return qaExample(rng);
        int[] drill = qaDrill(rng);
        return drill.length <= room ? drill : textWindow(rng, Math.max(1, room));
    }

    /** A window of the document stream (it may cross a document's EOS, as packed pre-training does). */
    int[] textWindow(SplittableRandom rng, int tokens) {
        int n = Math.min(tokens, stream.length);
        int start = rng.nextInt(stream.length - n + 1);
        return Arrays.copyOfRange(stream, start, start + n);
    }

    /**
     * [text] then "[instruction][text]" as often as the room holds (at least once), then EOS; the text between 8
     * tokens and what fits (at most maxCopyTokens). Every restatement after the first is predictable only by copying,
     * which gives the induction circuit a steady gradient: with one restatement it did not form in our budgets
     * (bench/RESULTS.md).
     */
    int[] copyTask(SplittableRandom rng, int room) {
        return restated(textWindow(rng, copyLength(rng, room, maxCopyTokens)), room);
    }

    /** As {@link #copyTask}, of random tokens, each from a random position of the stream. */
    int[] scrambledCopyTask(SplittableRandom rng, int room) {
        int[] text = new int[copyLength(rng, room, MAX_SCRAMBLED_COPY_TOKENS)];
        for (int i = 0; i < text.length; i++) {
            do text[i] = stream[rng.nextInt(stream.length)]; while (text[i] == eos);
        }
        return restated(text, room);
    }

    /** Between 8 tokens and what fits in the room (at most max); 8..max when not even 8 fit (the segment is cut). */
    private int copyLength(SplittableRandom rng, int room, int max) {
        int fit = Math.min(max, (room - instruction.length - 1) / 2);
        return fit < 8 ? 8 + rng.nextInt(Math.max(1, max - 7)) : 8 + rng.nextInt(fit - 7);
    }

    private int[] restated(int[] text, int room) {
        int once = text.length + instruction.length;
        int times = Math.max(1, (room - 1 - text.length) / once);
        int[] out = new int[text.length + times * once + 1];
        System.arraycopy(text, 0, out, 0, text.length);
        for (int r = 0, at = text.length; r < times; r++, at += once) {
            System.arraycopy(instruction, 0, out, at, instruction.length);
            System.arraycopy(text, 0, out, at + instruction.length, text.length);
        }
        out[out.length - 1] = eos;
        return out;
    }

    /** A multi-document QA example over real passages, written as the decoder reads a prompt, answer, EOS. */
    int[] qaExample(SplittableRandom rng) {
        int docs = documentsPerSegment(rng);
        QaExample qa = SyntheticMultiDocQa.generate(rng.nextLong(), 1, SyntheticMultiDocQa.Settings.defaults().withDocuments(docs),
                RealTextCorpus.passageFiller(documents, this.qa.minChars(), this.qa.maxChars())).get(0).qa();
        QaPrompt p = QaPrompt.defaults();
        int[] context = p.context(tokenizer, qa), question = p.question(tokenizer, qa.question()), answer = p.answer(tokenizer, qa.answers().get(0));
        int[] out = new int[context.length + question.length + answer.length + 1];
        System.arraycopy(context, 0, out, 0, context.length);
        System.arraycopy(question, 0, out, context.length, question.length);
        System.arraycopy(answer, 0, out, context.length + question.length, answer.length);
        out[out.length - 1] = eos;
        return out;
    }

    /** [documents] then, for every document in random order, " Question: ... Answer: ..." EOS. */
    int[] qaDrill(SplittableRandom rng) {
        List<QaExample> asks = SyntheticMultiDocQa.drill(rng.nextLong(), documentsPerSegment(rng),
                RealTextCorpus.passageFiller(documents, qa.minChars(), qa.maxChars()));
        QaPrompt p = QaPrompt.defaults();
        List<int[]> parts = new java.util.ArrayList<>();
        parts.add(p.context(tokenizer, asks.get(0)));
        for (QaExample ask : asks) {
            parts.add(p.question(tokenizer, ask.question()));
            parts.add(p.answer(tokenizer, ask.answers().get(0)));
            parts.add(new int[] {eos});
        }
        int[] out = new int[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private int documentsPerSegment(SplittableRandom rng) {
        return qa.minDocuments() + rng.nextInt(qa.maxDocuments() - qa.minDocuments() + 1);
    }
}
