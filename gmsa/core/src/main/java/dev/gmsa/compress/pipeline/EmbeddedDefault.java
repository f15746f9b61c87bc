package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.data.SyntheticMultiDocQa;
import dev.gmsa.compress.data.SyntheticStories;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.tokenizer.WordTokenizer;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The model the demo needs no download for: a small word-level LLaMA (one token per word of the generator, bytes for anything else) the engine pre-trains itself on
 * generated stories. Part of its pre-training text is "[text] instruction [the same text]", so the decoder
 * learns to copy text it is shown, the ability autoencoding builds on (as a pretrained LLM has it).
 */
public final class EmbeddedDefault {
    public static final String INSTRUCTION = " Restate the aforementioned Text. ";
    public static final String BOS = "<s>", EOS = "</s>";

    private EmbeddedDefault() {}

    /** Word tokens for every word the story generator and the instruction use (bytes for anything else). */
    public static WordTokenizer tokenizer() {
        WordTokenizer t = tokenizer;
        if (t == null) tokenizer = t = new WordTokenizer(vocabulary(), List.of(BOS, EOS));
        return t;
    }

    private static volatile WordTokenizer tokenizer;

    /** The generators' words (stories, QA documents, questions and answers), found by splitting large fixed samples (sorted, so ids never depend on order). */
    static List<String> vocabulary() {
        java.util.TreeSet<String> words = new java.util.TreeSet<>();
        SplittableRandom rng = new SplittableRandom(0);
        StringBuilder sample = new StringBuilder(INSTRUCTION);
        for (int i = 0; i < 20000; i++) sample.append(' ').append(SyntheticStories.sentence(rng));
        for (var qa : SyntheticMultiDocQa.generateQa(0, 3000, SyntheticMultiDocQa.Settings.defaults().withDocuments(2)))
            sample.append(' ').append(qaText(qa));
        for (String w : sample.toString().split("(?<=[.,?!:])|(?=[.,?!:])|\\s+")) if (!w.isBlank()) words.add(w.strip());
        words.addAll(List.of(".", ",", "?", "!", ":"));
        return List.copyOf(words);
    }

    /** A QA example written out as the decoder reads it: documents, " Question: ... Answer: ..." (see {@link QaPrompt}). */
    static String qaText(QaExample qa) {
        QaPrompt p = QaPrompt.defaults();
        return String.join(" ", qa.docs()) + p.questionPrefix() + qa.question() + p.answerPrefix() + " " + qa.answers().get(0);
    }

    /** A LLaMA of the given width and depth over the byte vocabulary. */
    public static ModelConfig config(int hidden, int layers) {
        int heads = Math.max(1, hidden / 32);
        int ffn = (int) (Math.round(hidden * 8 / 3.0 / 16) * 16);
        WordTokenizer t = tokenizer();
        return ModelConfig.builder().hiddenSize(hidden).intermediateSize(ffn).numLayers(layers).numHeads(heads)
                .vocabSize(t.vocabSize()).maxPositionEmbeddings(1024).tieWordEmbeddings(true)
                .bosTokenIds(t.tokenId(BOS)).eosTokenIds(t.tokenId(EOS)).build();
    }

    /** A story of roughly {@code bytes} bytes, cut at a word boundary. */
    public static String text(SplittableRandom rng, int bytes) {
        String s = SyntheticStories.story(rng, bytes / 20 + 2);
        if (s.length() <= bytes) return s;
        int cut = s.lastIndexOf(' ', bytes);
        return s.substring(0, cut > bytes / 2 ? cut : bytes);
    }

    /** Exactly {@code tokens} tokens of generated story (fewer only if a story is shorter). */
    public static int[] storyTokens(SplittableRandom rng, int tokens) {
        int[] ids = tokenizer().encode(text(rng, tokens * 8 + 16));
        return java.util.Arrays.copyOf(ids, Math.min(ids.length, tokens));
    }

    /**
     * One pre-training sequence of exactly {@code length} tokens: a plain story, or (with probability
     * copyFraction) a text followed by "instruction, the same text" as many times as fit, then EOS, padded with
     * EOS. Every restatement after the first is predictable only by copying, so the copying circuit (induction
     * heads) gets a strong, steady gradient.
     */
    public static int[] pretrainingSequence(SplittableRandom rng, int length, double copyFraction) {
        WordTokenizer t = tokenizer();
        if (rng.nextDouble() >= copyFraction) {
            if (rng.nextDouble() >= QA_SHARE) return fit(storyTokens(rng, length), length, t);
            // documents and a question with its answer: the reading a pretrained LLM brings to KEFT
            var qa = SyntheticMultiDocQa.generateQa(rng.nextLong(), 1, SyntheticMultiDocQa.Settings.defaults().withDocuments(1)).get(0);
            int[] ids = t.encode(qaText(qa));
            int[] withEos = java.util.Arrays.copyOf(ids, ids.length + 1);
            withEos[ids.length] = t.tokenId(EOS);
            return fit(withEos, length, t);
        }
        int[] ins = t.encode(INSTRUCTION);
        int maxText = Math.max(4, (length - ins.length - 1) / 2);
        int n = 4 + rng.nextInt(maxText - 3);
        // random word strings cannot be guessed from templates: only copying predicts them (induction heads form fast)
        int[] a = rng.nextDouble() < RANDOM_WORD_SHARE ? randomWords(rng, n) : storyTokens(rng, n);
        int[] seq = new int[length];
        System.arraycopy(a, 0, seq, 0, Math.min(a.length, length));
        int at = a.length;
        while (at + ins.length + a.length + 1 <= length) {
            System.arraycopy(ins, 0, seq, at, ins.length);
            System.arraycopy(a, 0, seq, at + ins.length, a.length);
            at += ins.length + a.length;
            if (!REPEAT_COPIES) break;
        }
        java.util.Arrays.fill(seq, Math.min(at, length), length, t.tokenId(EOS));
        return seq;
    }

    /** Whether copy tasks restate their text as often as the sequence holds (else once). */
    static final boolean REPEAT_COPIES = Boolean.parseBoolean(System.getProperty("gmsa.repeatCopies", "true"));

    /** Share of the plain-text sequences that are QA examples rather than stories. */
    static final double QA_SHARE = Double.parseDouble(System.getProperty("gmsa.qaShare", "0.5"));

    /** Share of copy tasks made of random words rather than stories. */
    static final double RANDOM_WORD_SHARE = Double.parseDouble(System.getProperty("gmsa.randomWordShare", "0.5"));

    /** n random word tokens (with leading spaces, like words inside a sentence). */
    static int[] randomWords(SplittableRandom rng, int n) {
        WordTokenizer t = tokenizer();
        List<String> words = t.words();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = t.tokenId((i == 0 ? "" : " ") + words.get(rng.nextInt(words.size())));
        return out;
    }

    /** Cuts or pads (with EOS) to exactly {@code length} tokens. */
    private static int[] fit(int[] ids, int length, WordTokenizer t) {
        int[] out = new int[length];
        java.util.Arrays.fill(out, t.tokenId(EOS));
        System.arraycopy(ids, 0, out, 0, Math.min(length, ids.length));
        return out;
    }
}
