package dev.gmsa.loaders;

import java.nio.file.Path;

/**
 * A file that cannot be loaded: missing, unreadable, malformed or hostile. The message names the file and,
 * where one is involved, the tensor or key; loaders throw nothing else for bad input.
 */
public class LoadException extends RuntimeException {
    public LoadException(String message) {
        super(message);
    }

    public LoadException(String message, Throwable cause) {
        super(message, cause);
    }

    public static LoadException of(Path file, String problem) {
        return new LoadException(file + ": " + problem);
    }

    public static LoadException of(String source, String problem, Throwable cause) {
        return new LoadException(source + ": " + problem, cause);
    }
}
