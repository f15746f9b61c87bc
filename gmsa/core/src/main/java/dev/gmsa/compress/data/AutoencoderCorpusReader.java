package dev.gmsa.compress.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an autoencoder (context restoration) corpus: JSONL with one {@code {"text": "..."}} per
 * line; other fields are ignored, blank lines skipped. Bad records name the file and line.
 */
public final class AutoencoderCorpusReader {
    private AutoencoderCorpusReader() {}

    public static List<String> read(Path file) throws IOException {
        return JsonlReader.read(file, record -> JsonFields.string(record, "text"));
    }
}
