package dev.gmsa.compress.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the PwC (Prompt-with-Context) layout: JSONL with one
 * {@code {"input": context, "prompt": instruction, "answer": reference}} per line.
 *
 * <p>Mapping to {@link QaExample}: {@code docs = [input]} (the one context to compress),
 * {@code question = prompt}, {@code answers = [answer]}. PwC answers are free-form references,
 * so score them with ROUGE/BLEU rather than exact match.
 */
public final class PwcJsonlReader {
    private PwcJsonlReader() {}

    public static List<QaExample> read(Path file) throws IOException {
        return JsonlReader.read(file, record -> new QaExample(
                List.of(JsonFields.string(record, "input")),
                JsonFields.string(record, "prompt"),
                List.of(JsonFields.string(record, "answer"))));
    }
}
