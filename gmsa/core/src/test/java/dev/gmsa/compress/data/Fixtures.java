package dev.gmsa.compress.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** (Copy of loaders' test helper.) Finds the shared fixtures folder: walks up from the working directory to a folder with shared/fixtures. */
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

    public static Path path(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }
}
