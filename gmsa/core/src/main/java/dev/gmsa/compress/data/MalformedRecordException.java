package dev.gmsa.compress.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file holds a record that cannot be read. The message starts with the place,
 * {@code file:line: problem} for JSONL, or {@code file:line:column (json.path): problem} for a
 * whole-file JSON document such as SQuAD; lines and columns are 1-based.
 */
public final class MalformedRecordException extends IOException {
    private final Path file;
    private final long line;

    public MalformedRecordException(Path file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public MalformedRecordException(Path file, long line, long column, String jsonPath, String problem) {
        super(file + ":" + line + ":" + column + " (" + jsonPath + "): " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the bad record. */
    public long line() {
        return line;
    }
}
