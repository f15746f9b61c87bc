package dev.gmsa.loaders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicFilesTest {
    @TempDir Path dir;

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheContentCreatingFoldersAndLeavesNothingElse() throws IOException {
        Path file = dir.resolve("a/b/config.json");
        AtomicFiles.write(file, "{\"x\": 1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("{\"x\": 1}", Files.readString(file));
        AtomicFiles.write(file, out -> out.write("{\"x\": 2}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("{\"x\": 2}", Files.readString(file), "replaced");
        assertEquals(List.of("config.json"), filesIn(file.getParent()));
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            var plain = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain")));
            assertEquals(plain, Files.getPosixFilePermissions(file), "what any new file gets (the umask's), not createTempFile's 0600");
        }
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndRemovesItsTemporary() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Files.writeString(file, "old");
        LoadException e = assertThrows(LoadException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("model.safetensors"), filesIn(dir));

        assertThrows(IllegalStateException.class, () -> AtomicFiles.write(file, out -> {
            throw new IllegalStateException("a bug in the writer");
        }), "runtime errors pass through unchanged");
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("model.safetensors"), filesIn(dir));
    }

    @Test
    void aWriterThatNeedsAPathGetsOneWithTheTargetsExtensionBesideIt() throws IOException {
        Path file = dir.resolve("loss.png");
        AtomicFiles.writeFile(file, tmp -> {
            assertEquals(dir, tmp.getParent(), "same folder, so the rename is atomic");
            assertTrue(tmp.getFileName().toString().endsWith(".png"), tmp.toString());
            Files.writeString(tmp, "png bytes");
        });
        assertEquals("png bytes", Files.readString(file));
        assertEquals(List.of("loss.png"), filesIn(dir));
    }
}
