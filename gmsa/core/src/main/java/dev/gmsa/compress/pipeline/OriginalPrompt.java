package dev.gmsa.compress.pipeline;

import dev.gmsa.loaders.AtomicFiles;
import dev.gmsa.loaders.Json;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.loaders.safetensors.SafetensorsFile;
import dev.gmsa.loaders.safetensors.SafetensorsWriter;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fair "original prompt" baseline: the decoder reading the documents as text, fine-tuned with the same KEFT deltas
 * and budget the compressors get. Its folder holds {@value #MANIFEST} (the decoder, relative to the folder, and the
 * KEFT mode) and {@value #DELTAS}; a plain model folder is the baseline without fine-tuning.
 */
public final class OriginalPrompt implements AutoCloseable {
    public static final String MANIFEST = "original.json", DELTAS = "keft.safetensors";
    private static final ObjectMapper JSON = Json.MAPPER; // the project's one strict mapper

    /** What {@value #MANIFEST} holds. */
    public record Manifest(String decoder, String keftMode) {}

    private final PretrainedModel decoder;
    private final Map<String, Var> deltas;
    private final KeftMode mode;

    private OriginalPrompt(PretrainedModel decoder, KeftMode mode) {
        this.decoder = decoder;
        this.mode = mode;
        this.deltas = mode == null ? Map.of() : mode.attach(decoder.model());
    }

    /**
     * A decoder about to be fine-tuned on full prompts: a plain model folder (the deltas start at zero) or a folder
     * written by {@link #save} with the same mode (its deltas go on training: a curriculum of stages).
     */
    public static OriginalPrompt start(Path folder, KeftMode mode) throws IOException {
        if (!Files.exists(folder.resolve(MANIFEST))) return new OriginalPrompt(PretrainedModel.load(folder), mode);
        OriginalPrompt earlier = load(folder);
        if (earlier.mode != mode) {
            earlier.close();
            throw new IllegalArgumentException(folder + ": fine-tuned with --mode " + earlier.mode + ", so it continues only with that mode, not " + mode);
        }
        return earlier;
    }

    /** The plain model folder a baseline folder fine-tunes (the folder itself when it is a plain model). */
    public static Path baseDecoder(Path folder) throws IOException {
        Path manifestFile = folder.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) return folder;
        return folder.resolve(JSON.readValue(manifestFile.toFile(), Manifest.class).decoder()).normalize();
    }

    /** A folder written by {@link #save}, or a plain model folder (no fine-tuning). */
    public static OriginalPrompt load(Path folder) throws IOException {
        Path manifestFile = folder.resolve(MANIFEST);
        if (!Files.exists(manifestFile)) return new OriginalPrompt(PretrainedModel.load(folder), null);
        Manifest m = JSON.readValue(manifestFile.toFile(), Manifest.class);
        OriginalPrompt p = new OriginalPrompt(PretrainedModel.load(baseDecoder(folder)), KeftMode.valueOf(m.keftMode()));
        Path deltasFile = folder.resolve(DELTAS);
        if (!Files.exists(deltasFile)) throw new IllegalArgumentException(deltasFile + ": missing (the folder's KEFT did not finish)");
        try (SafetensorsFile f = SafetensorsFile.open(deltasFile)) {
            for (var e : p.deltas.entrySet()) {
                if (!f.contains(e.getKey())) throw new IllegalArgumentException(deltasFile + ": no tensor " + e.getKey());
                e.getValue().value().copyFrom(f.tensor(e.getKey()));
            }
        }
        return p;
    }

    /** Writes the deltas and the manifest (the decoder named relative to the folder) atomically. */
    public void save(Path folder, Path decoderFolder) throws IOException {
        if (mode == null) throw new IllegalStateException("nothing to save: this baseline was not fine-tuned");
        Files.createDirectories(folder);
        Map<String, Tensor> values = new LinkedHashMap<>();
        deltas.forEach((n, v) -> values.put(n, v.value()));
        SafetensorsWriter.write(folder.resolve(DELTAS), values);
        String relative = folder.toAbsolutePath().normalize().relativize(decoderFolder.toAbsolutePath().normalize()).toString();
        AtomicFiles.write(folder.resolve(MANIFEST), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, new Manifest(relative, mode.name())));
    }

    /** The trainable deltas (empty without fine-tuning). */
    public Map<String, Var> deltas() {
        return deltas;
    }

    public Transformer model() {
        return decoder.model();
    }

    public Tokenizer tokenizer() {
        return decoder.requireTokenizer();
    }

    public int eos() {
        var ids = decoder.config().eosTokenIds();
        return ids.isEmpty() ? tokenizer().tokenId("</s>") : ids.get(0);
    }

    @Override
    public void close() {
        decoder.close();
    }
}
