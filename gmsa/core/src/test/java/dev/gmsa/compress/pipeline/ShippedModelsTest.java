package dev.gmsa.compress.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How --gmsa DIR and --method name a folder: a GMSA folder itself, or a bundle with one folder per method. */
class ShippedModelsTest {
    @Test
    void aGmsaFolderIsUsedWhenItsMethodMatches(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(GmsaFolder.MANIFEST), "{\"method\": \"tcp-ae\"}");
        assertEquals(dir, ShippedModels.methodFolder(dir, "tcp-ae"));
        var e = assertThrows(IllegalArgumentException.class, () -> ShippedModels.methodFolder(dir, "gmsa"));
        assertTrue(e.getMessage().contains("tcp-ae folder"), e.getMessage());
    }

    @Test
    void aBundleHoldsOneFolderPerMethod(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("icae"));
        assertEquals(dir.resolve("icae"), ShippedModels.methodFolder(dir, "icae"));
        var missing = assertThrows(IllegalArgumentException.class, () -> ShippedModels.methodFolder(dir, "gmsa"));
        assertTrue(missing.getMessage().contains(dir.resolve("gmsa").toString()), missing.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> ShippedModels.methodFolder(dir, "lz4"));
        assertTrue(unknown.getMessage().contains("unknown method lz4"), unknown.getMessage());
    }

    @Test
    void theShippedBundleIsUnderTheRepositoryRoot() {
        assertTrue(ShippedModels.root().endsWith(Path.of("gmsa", "models")));
        assertTrue(Files.isDirectory(ShippedModels.root().getParent()), "gmsa.home points at the repository: " + ShippedModels.root());
    }
}
