package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.pipeline.GmsaFolderException.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A GMSA folder that cannot be loaded says which problem it has and which file is at fault. */
class GmsaFolderTest {
    private static final LoraSettings LORA = new LoraSettings(2, 4f, 0f, List.of("q_proj", "v_proj"));

    private static Path savedFolder(Path tmp) throws Exception {
        Path dec = TinyModels.wordModel(tmp.resolve("dec"), 32, 3);
        Path folder = tmp.resolve("gmsa");
        try (GmsaSystem s = GmsaSystem.create(TinyModels.manifest(CompressorSpec.gmsa(1, 1, LORA), dec, dec, 64, 16), 5)) {
            GmsaFolder.save(s, folder);
        }
        return folder;
    }

    private static GmsaFolderException loadFails(Path folder) {
        return assertThrows(GmsaFolderException.class, () -> GmsaFolder.load(folder).close());
    }

    @Test
    void aFolderWithoutAManifestIsNotAGmsaFolder(@TempDir Path tmp) {
        assertFalse(GmsaFolder.isGmsaFolder(tmp));
        GmsaFolderException e = loadFails(tmp);
        assertEquals(Problem.NOT_A_GMSA_FOLDER, e.problem());
        assertEquals(tmp, e.file());
        assertTrue(e.getMessage().contains("train-ae"), e.getMessage());
    }

    @Test
    void aDamagedManifestIsABadManifest(@TempDir Path tmp) throws Exception {
        Path folder = savedFolder(tmp);
        Files.writeString(folder.resolve(GmsaFolder.MANIFEST), "{\"method\": \"gmsa\", \"no_such_field\": 1}");
        GmsaFolderException e = loadFails(folder);
        assertEquals(Problem.BAD_MANIFEST, e.problem());
        assertEquals(folder.resolve(GmsaFolder.MANIFEST), e.file());
    }

    @Test
    void missingWeightsNameTheirFile(@TempDir Path tmp) throws Exception {
        Path folder = savedFolder(tmp);
        assertTrue(GmsaFolder.isGmsaFolder(folder));
        Files.delete(folder.resolve(GmsaFolder.COMPRESSOR_WEIGHTS));
        GmsaFolderException e = loadFails(folder);
        assertEquals(Problem.MISSING_WEIGHTS, e.problem());
        assertEquals(folder.resolve(GmsaFolder.COMPRESSOR_WEIGHTS), e.file());
    }

    @Test
    void weightsWithoutATensorTheCompressorNeedsNameIt(@TempDir Path tmp) throws Exception {
        Path folder = savedFolder(tmp);
        dev.gmsa.loaders.safetensors.SafetensorsWriter.write(folder.resolve(GmsaFolder.COMPRESSOR_WEIGHTS),
                java.util.Map.of("unrelated", dev.gmsa.tensor.Tensor.ones(2)));
        GmsaFolderException e = loadFails(folder);
        assertEquals(Problem.MISSING_TENSOR, e.problem());
        assertTrue(e.getMessage().contains("no tensor "), e.getMessage());
    }
}
