package dev.gmsa.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared fixtures folder (real checkpoints, tokenizers, reference outputs, corpora; see its README): found by
 * walking up from the working directory (the module under test) to a folder that holds shared/fixtures.
 */
public final class Fixtures {
    private static Path root;

    private Fixtures() {}

    public static synchronized Path root() {
        if (root != null) return root;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("fixtures");
            if (Files.isDirectory(candidate)) return root = candidate;
        }
        throw new IllegalStateException("no shared/fixtures folder above " + Path.of("").toAbsolutePath());
    }

    /** A path inside the fixtures folder, e.g. {@code path("tokenizers", "qwen3", "tokenizer.json")}. */
    public static Path path(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }
}
