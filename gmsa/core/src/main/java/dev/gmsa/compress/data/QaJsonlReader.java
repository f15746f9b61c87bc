package dev.gmsa.compress.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads this project's QA layout: JSONL with one
 * {@code {"docs": ["...", ...], "question": "...", "answers": ["...", ...]}} per line (the format
 * {@link JsonlWriter#writeQa} writes). All three fields are required; other fields are ignored.
 */
public final class QaJsonlReader {
    private QaJsonlReader() {}

    public static List<QaExample> read(Path file) throws IOException {
        return JsonlReader.read(file, record -> new QaExample(
                JsonFields.strings(record, "docs"),
                JsonFields.string(record, "question"),
                JsonFields.strings(record, "answers")));
    }
}
