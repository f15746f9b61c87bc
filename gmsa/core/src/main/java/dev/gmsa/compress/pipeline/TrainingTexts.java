package dev.gmsa.compress.pipeline;

import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Where autoencoder training contexts come from: a JSONL corpus or generated stories, as token windows. */
public final class TrainingTexts {
    private final List<int[]> documents; // null for generated text
    private final Tokenizer tokenizer;
    private final int contextTokens;
    private final boolean randomStart;

    private TrainingTexts(List<int[]> documents, Tokenizer tokenizer, int contextTokens, boolean randomStart) {
        this.documents = documents;
        this.tokenizer = tokenizer;
        this.contextTokens = contextTokens;
        this.randomStart = randomStart;
    }

    /** Generated stories (no download); each draw is a fresh story cut to the context length. */
    public static TrainingTexts generated(Tokenizer tokenizer, int contextTokens) {
        return new TrainingTexts(null, tokenizer, contextTokens, false);
    }

    /**
     * Generated stories cut at a random token, as windows of a real corpus are: not always at a sentence start.
     * (A compressor trained only on aligned starts breaks on a text shifted by one token.)
     */
    public static TrainingTexts generatedAnyStart(Tokenizer tokenizer, int contextTokens) {
        return new TrainingTexts(null, tokenizer, contextTokens, true);
    }

    /** Documents of a JSONL corpus ({"text": ...} per line), tokenized once. */
    public static TrainingTexts jsonl(Path file, Tokenizer tokenizer, int contextTokens) throws IOException {
        return documents(readDocuments(file, tokenizer), tokenizer, contextTokens);
    }

    /** Already tokenized documents (a training split, say). */
    public static TrainingTexts documents(List<int[]> documents, Tokenizer tokenizer, int contextTokens) {
        if (documents.isEmpty()) throw new IllegalArgumentException("no documents to draw training texts from");
        return new TrainingTexts(List.copyOf(documents), tokenizer, contextTokens, true);
    }

    /** The non-empty texts of a JSONL corpus, tokenized (no special tokens). */
    public static List<int[]> readDocuments(Path file, Tokenizer tokenizer) throws IOException {
        List<int[]> docs = new ArrayList<>();
        for (String text : dev.gmsa.compress.data.AutoencoderCorpusReader.read(file)) {
            int[] ids = tokenizer.encode(text);
            if (ids.length > 0) docs.add(ids);
        }
        if (docs.isEmpty()) throw new IllegalArgumentException(file + ": no non-empty texts");
        return docs;
    }

    /** One context of at most contextTokens tokens: a random window of a random document. */
    public int[] draw(SplittableRandom rng) {
        if (documents == null) {
            if (!randomStart) {
                int[] ids = tokenizer.encode(EmbeddedDefault.text(rng, contextTokens * 6));
                return Arrays.copyOf(ids, Math.min(ids.length, contextTokens));
            }
            int[] ids = tokenizer.encode(EmbeddedDefault.text(rng, contextTokens * 12));
            if (ids.length <= contextTokens) return ids;
            int start = rng.nextInt(ids.length - contextTokens + 1);
            return Arrays.copyOfRange(ids, start, start + contextTokens);
        }
        int[] doc = documents.get(rng.nextInt(documents.size()));
        if (doc.length <= contextTokens) return doc;
        int start = rng.nextInt(doc.length - contextTokens + 1);
        return Arrays.copyOfRange(doc, start, start + contextTokens);
    }
}
