package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.data.RealTextCorpus;

import dev.gmsa.compress.data.PwcJsonlReader;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.data.QaJsonlReader;
import dev.gmsa.compress.data.SquadReader;
import dev.gmsa.compress.data.SyntheticMultiDocQa;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** QA examples from a file in one of the supported layouts, or generated. */
public final class QaData {
    public static final List<String> FORMATS = List.of("qa", "pwc", "squad");

    private QaData() {}

    public static List<QaExample> read(Path file, String format) throws IOException {
        return switch (format) {
            case "qa" -> QaJsonlReader.read(file);
            case "pwc" -> PwcJsonlReader.read(file);
            case "squad" -> SquadReader.read(file);
            default -> throw new IllegalArgumentException("unknown QA format " + format + " (known: " + String.join(", ", FORMATS) + ")");
        };
    }

    /** A QA document's passage: 150 to (where the prose allows) 300 characters, about 55 tokens, 65 with its fact. */
    public static final int PASSAGE_MIN_CHARS = 150, PASSAGE_MAX_CHARS = 300;

    /**
     * Multi-document QA over real text: each document is a passage of {@code passages} (about 65 tokens with its fact),
     * one gold document at a random position among real-text distractors (see {@link SyntheticMultiDocQa}).
     */
    public static List<QaExample> realText(List<String> passages, long seed, int count, int documents) {
        return realText(passages, seed, count, documents, true);
    }

    /** As above; without distractor facts the distractors are plain real text and the gold fact is the only fact. */
    public static List<QaExample> realText(List<String> passages, long seed, int count, int documents, boolean distractorFacts) {
        return SyntheticMultiDocQa.generate(seed, count, SyntheticMultiDocQa.Settings.defaults().withDocuments(documents).withDistractorFacts(distractorFacts),
                        RealTextCorpus.passageFiller(passages, PASSAGE_MIN_CHARS, PASSAGE_MAX_CHARS))
                .stream().map(SyntheticMultiDocQa.Example::qa).toList();
    }

    /** Synthetic multi-document QA: one gold document among {@code documents}. */
    public static List<QaExample> synthetic(long seed, int count, int documents) {
        return SyntheticMultiDocQa.generate(seed, count, SyntheticMultiDocQa.Settings.defaults().withDocuments(documents))
                .stream().map(SyntheticMultiDocQa.Example::qa).toList();
    }

    /**
     * Reading drills over real text ({@link SyntheticMultiDocQa#drill}): {@code count} contexts of {@code documents}
     * passages with one same-template fact each, every document's question asked once; one list per context.
     */
    public static List<List<QaExample>> realTextDrills(List<String> passages, long seed, int count, int documents) {
        return drills(seed, count, documents, RealTextCorpus.passageFiller(passages, PASSAGE_MIN_CHARS, PASSAGE_MAX_CHARS));
    }

    /** Drills over generated filler (3 sentences per document). */
    public static List<List<QaExample>> syntheticDrills(long seed, int count, int documents) {
        return drills(seed, count, documents, SyntheticMultiDocQa.syntheticFiller(3));
    }

    private static List<List<QaExample>> drills(long seed, int count, int documents, SyntheticMultiDocQa.Filler filler) {
        java.util.SplittableRandom root = new java.util.SplittableRandom(seed);
        List<List<QaExample>> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) out.add(SyntheticMultiDocQa.drill(root.nextLong(), documents, filler));
        return out;
    }
}
