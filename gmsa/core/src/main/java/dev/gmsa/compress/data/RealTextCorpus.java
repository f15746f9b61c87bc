package dev.gmsa.compress.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The real English documents of a corpus folder (every {@code *.jsonl} in it, one {@code {"text": ...}} per line),
 * split once into training and held-out documents. The split is a pure function of each document's text
 * ({@link String#hashCode} is specified by the language), so a document is held out on every machine and in
 * every run: the decoder, the tokenizer and every compressor are trained only on {@link #train()}.
 */
public final class RealTextCorpus {
    /** One document in {@value #HELD_OUT_EVERY} is held out. */
    public static final int HELD_OUT_EVERY = 10;
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?][\"')\\]]?)\\s+");

    private final List<String> train, heldOut;

    private RealTextCorpus(List<String> train, List<String> heldOut) {
        this.train = List.copyOf(train);
        this.heldOut = List.copyOf(heldOut);
    }

    public static RealTextCorpus read(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) throw new IllegalArgumentException(folder + ": corpus folder not found (give a folder of *.jsonl files with a \"text\" field)");
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        if (files.isEmpty()) throw new IllegalArgumentException(folder + ": no *.jsonl files in the corpus folder");
        List<String> train = new ArrayList<>(), heldOut = new ArrayList<>();
        for (Path f : files)
            for (String text : AutoencoderCorpusReader.read(f)) (isHeldOut(text) ? heldOut : train).add(text);
        return new RealTextCorpus(train, heldOut);
    }

    public static RealTextCorpus of(List<String> train, List<String> heldOut) {
        return new RealTextCorpus(train, heldOut);
    }

    public static boolean isHeldOut(String text) {
        return Math.floorMod(text.hashCode(), HELD_OUT_EVERY) == 0;
    }

    public List<String> train() {
        return train;
    }

    public List<String> heldOut() {
        return heldOut;
    }

    /**
     * A passage of whole sentences, at least {@code minChars} long (shorter only when the document ends), from a
     * random place in a random document; line breaks become spaces.
     */
    public static String passage(List<String> documents, int minChars, RandomGenerator rng) {
        return String.join(" ", passageSentences(documents, minChars, rng));
    }

    /** {@link #passage}'s sentences. */
    public static List<String> passageSentences(List<String> documents, int minChars, RandomGenerator rng) {
        return passageSentences(documents, minChars, Integer.MAX_VALUE, rng);
    }

    /**
     * Whole sentences from a random place, at least {@code minChars} long and, where the text allows, at most
     * {@code maxChars}: a place whose sentences overshoot is redrawn (up to {@value #MAX_DRAWS} times; the last draw
     * is kept), so documents of long-sentenced prose stay about as long as the others.
     */
    public static List<String> passageSentences(List<String> documents, int minChars, int maxChars, RandomGenerator rng) {
        List<String> out = List.of();
        for (int draw = 0; draw < MAX_DRAWS; draw++) {
            out = drawSentences(documents, minChars, rng);
            if (String.join(" ", out).length() <= maxChars) return out;
        }
        return out;
    }

    private static final int MAX_DRAWS = 20;

    private static List<String> drawSentences(List<String> documents, int minChars, RandomGenerator rng) {
        String doc = documents.get(rng.nextInt(documents.size()));
        int from = doc.length() <= minChars ? 0 : rng.nextInt(doc.length() - minChars);
        String tail = doc.substring(from).replaceAll("\\s+", " ");
        String[] sentences = SENTENCE_END.split(tail);
        List<String> out = new ArrayList<>();
        int chars = 0;
        // the first piece is usually a sentence cut in the middle: skip it unless the passage started the document
        for (int i = from == 0 ? 0 : Math.min(1, sentences.length - 1); i < sentences.length && chars < minChars; i++) {
            String sentence = sentences[i].strip();
            if (sentence.isEmpty()) continue;
            out.add(sentence);
            chars += sentence.length() + 1;
        }
        return out;
    }

    /**
     * Multi-document QA filler made of real passages of {@code minChars} to (where possible) {@code maxChars}
     * characters (see {@link SyntheticMultiDocQa}).
     */
    public static SyntheticMultiDocQa.Filler passageFiller(List<String> documents, int minChars, int maxChars) {
        return rng -> passageSentences(documents, minChars, maxChars, rng);
    }

}
