package dev.gmsa.compress.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.pipeline.GmsaFolderException.Problem;
import dev.gmsa.loaders.AtomicFiles;
import dev.gmsa.loaders.Json;
import dev.gmsa.loaders.safetensors.SafetensorsFile;
import dev.gmsa.loaders.safetensors.SafetensorsWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A GMSA system on disk: gmsa.json (the {@link GmsaManifest}, with the fingerprints of the models it was saved
 * with), compressor.safetensors (the trained encoder-side weights) and, after KEFT, keft.safetensors (the decoder
 * deltas). Base checkpoints are referenced relative to the folder, never copied, so a folder moved (or shipped)
 * together with them still loads. Every file is written atomically.
 */
public final class GmsaFolder {
    public static final String MANIFEST = "gmsa.json", COMPRESSOR_WEIGHTS = "compressor.safetensors", KEFT_WEIGHTS = "keft.safetensors";
    private static final ObjectMapper JSON = Json.MAPPER; // the project's one strict mapper

    private GmsaFolder() {}

    /** Whether {@code folder} holds a manifest (is meant to be a GMSA folder). */
    public static boolean isGmsaFolder(Path folder) {
        return Files.exists(folder.resolve(MANIFEST));
    }

    public static GmsaManifest readManifest(Path folder) {
        Path file = folder.resolve(MANIFEST);
        if (!Files.exists(file))
            throw new GmsaFolderException(Problem.NOT_A_GMSA_FOLDER, folder, "not a GMSA folder (no " + MANIFEST + "; run train-ae first)", null);
        try {
            return JSON.readValue(file.toFile(), GmsaManifest.class);
        } catch (IOException e) {
            throw new GmsaFolderException(Problem.BAD_MANIFEST, file, e.getMessage(), e);
        }
    }

    /** The system a folder holds: its checkpoints, its trained compressor and, when it has them, its KEFT deltas. */
    public static GmsaSystem load(Path folder) {
        GmsaManifest stored = readManifest(folder);
        GmsaManifest m = stored.withModelPaths(resolve(folder, stored.decoder()), resolve(folder, stored.encoder()));
        GmsaSystem s = GmsaSystem.create(m, 0);
        try {
            loadWeights(folder.resolve(COMPRESSOR_WEIGHTS), s.compressor().trainableParameters());
            if (m.keftMode() != null) loadWeights(folder.resolve(KEFT_WEIGHTS), s.attachKeftDeltas(KeftMode.valueOf(m.keftMode())));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** Writes the system's trained weights and its manifest (with fingerprints), each atomically, manifest last. */
    public static void save(GmsaSystem system, Path folder) throws IOException {
        Files.createDirectories(folder);
        SafetensorsWriter.write(folder.resolve(COMPRESSOR_WEIGHTS), SystemIdentity.values(system.compressor().trainableParameters()));
        if (!system.keftDeltas().isEmpty()) SafetensorsWriter.write(folder.resolve(KEFT_WEIGHTS), SystemIdentity.values(system.keftDeltas()));
        GmsaManifest m = system.manifestWithFingerprints();
        GmsaManifest portable = m.withModelPaths(relative(folder, m.decoder()), relative(folder, m.encoder()));
        AtomicFiles.write(folder.resolve(MANIFEST), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, portable));
    }

    private static void loadWeights(Path file, Map<String, Var> into) {
        if (!Files.exists(file)) throw new GmsaFolderException(Problem.MISSING_WEIGHTS, file, "missing (the folder's training did not finish)", null);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            for (var e : into.entrySet()) {
                if (!f.contains(e.getKey())) throw new GmsaFolderException(Problem.MISSING_TENSOR, file, "no tensor " + e.getKey(), null);
                e.getValue().value().copyFrom(f.tensor(e.getKey()));
            }
        }
    }

    /** A checkpoint path as the manifest stores it: relative to the GMSA folder. */
    private static String relative(Path folder, String checkpoint) {
        return folder.toAbsolutePath().normalize().relativize(Path.of(checkpoint).toAbsolutePath().normalize()).toString();
    }

    /** A stored checkpoint path: relative to the folder; folders written before paths were relative named them from the working directory. */
    private static String resolve(Path folder, String stored) {
        Path p = Path.of(stored);
        if (p.isAbsolute()) return stored;
        Path inFolder = folder.resolve(p).normalize();
        return Files.exists(inFolder) || !Files.exists(p) ? inFolder.toString() : stored;
    }
}
