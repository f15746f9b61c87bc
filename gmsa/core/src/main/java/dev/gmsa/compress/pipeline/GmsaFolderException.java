package dev.gmsa.compress.pipeline;

import java.nio.file.Path;

/**
 * A GMSA folder that cannot be loaded, with what is wrong named: a caller (the CLI, the server) can tell a
 * wrong path from an unfinished training run from a damaged file. It is an IllegalArgumentException because the
 * folder is the caller's input.
 */
public final class GmsaFolderException extends IllegalArgumentException {
    /** What is wrong with the folder. */
    public enum Problem {
        /** No gmsa.json: a wrong path, or a folder train-ae never wrote. */
        NOT_A_GMSA_FOLDER,
        /** gmsa.json is there but is not a valid manifest. */
        BAD_MANIFEST,
        /** The manifest names a weights file that is absent (its training did not finish). */
        MISSING_WEIGHTS,
        /** A weights file lacks a tensor the manifest's compressor or KEFT mode needs. */
        MISSING_TENSOR
    }

    private final Problem problem;
    private final Path file;

    GmsaFolderException(Problem problem, Path file, String message, Throwable cause) {
        super(file + ": " + message, cause);
        this.problem = problem;
        this.file = file;
    }

    public Problem problem() {
        return problem;
    }

    /** The folder or file at fault. */
    public Path file() {
        return file;
    }
}
