package dev.gmsa.loaders;

import dev.gmsa.loaders.safetensors.SafetensorsCheckpoint;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Hugging Face model folder opened for use: config.json, the safetensors weights (memory-mapped, read in
 * place) and tokenizer.json when present. Close it to unmap the weights.
 */
public record PretrainedModel(Path folder, ModelConfig config, Transformer model, Tokenizer tokenizer,
                              SafetensorsCheckpoint checkpoint) implements AutoCloseable {

    public static PretrainedModel load(Path folder) {
        if (!Files.isDirectory(folder)) throw LoadException.of(folder, "not a model folder (expected config.json and *.safetensors)");
        ModelConfig config = ModelConfigLoader.load(folder);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder);
        Transformer model;
        try {
            model = Transformer.fromWeights(config, checkpoint.tensors());
        } catch (IllegalArgumentException e) {
            checkpoint.close();
            throw LoadException.of(folder, e.getMessage());
        }
        Path tokenizerFile = folder.resolve("tokenizer.json");
        Tokenizer tokenizer = Files.exists(tokenizerFile) ? TokenizerJson.load(tokenizerFile) : null;
        return new PretrainedModel(folder, config, model, tokenizer, checkpoint);
    }

    /** The tokenizer, or a clear error when the folder has none. */
    public Tokenizer requireTokenizer() {
        if (tokenizer == null) throw LoadException.of(folder.resolve("tokenizer.json"), "missing: this command needs a tokenizer (or pass --ids)");
        return tokenizer;
    }

    @Override
    public void close() {
        checkpoint.close();
    }
}
