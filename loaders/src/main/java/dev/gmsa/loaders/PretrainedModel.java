package dev.gmsa.loaders;

import dev.gmsa.loaders.safetensors.SafetensorsCheckpoint;
import dev.gmsa.loaders.safetensors.SafetensorsWriter;
import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import dev.gmsa.transformer.tokenizer.WordTokenizer;
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
                              AutoCloseable weights) implements AutoCloseable {

    public static PretrainedModel load(Path folder) {
        if (Files.isRegularFile(folder) && folder.getFileName().toString().endsWith(".bin")) return loadLlama2c(folder);
        if (!Files.isDirectory(folder)) throw LoadException.of(folder, "not a model folder (expected config.json and *.safetensors)");
        ModelConfig config = ModelConfigLoader.load(folder);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(folder);
        Transformer model;
        try {
            model = Transformer.fromWeights(config, onCurrentBackend(checkpoint.tensors()));
        } catch (IllegalArgumentException e) {
            checkpoint.close();
            throw LoadException.of(folder, e.getMessage());
        }
        return new PretrainedModel(folder, config, model, tokenizer(folder), checkpoint);
    }

    /** A llama2.c checkpoint file (legacy or version 1): weights only, no tokenizer (use token ids). */
    private static PretrainedModel loadLlama2c(Path file) {
        Llama2cCheckpoint checkpoint = Llama2cCheckpoint.open(file);
        try {
            Transformer model = Transformer.fromWeights(checkpoint.config(), onCurrentBackend(checkpoint.tensors()));
            return new PretrainedModel(file, checkpoint.config(), model, null, checkpoint);
        } catch (RuntimeException e) {
            checkpoint.close();
            throw e;
        }
    }

    /** Weights stay memory-mapped on the CPU; on another backend (a GPU) they are copied to it once. */
    private static java.util.Map<String, dev.gmsa.tensor.Tensor> onCurrentBackend(java.util.Map<String, dev.gmsa.tensor.Tensor> weights) {
        dev.gmsa.tensor.Backend target = dev.gmsa.tensor.Backends.current();
        if (target instanceof dev.gmsa.tensor.cpu.CpuBackend) return weights;
        java.util.Map<String, dev.gmsa.tensor.Tensor> moved = new java.util.LinkedHashMap<>();
        weights.forEach((name, t) -> moved.put(name, t.to(target)));
        return moved;
    }

    /** tokenizer.json (Hugging Face), else word_/byte_tokenizer.json (the engine's own vocabularies), else none. */
    private static Tokenizer tokenizer(Path folder) {
        Path hf = folder.resolve("tokenizer.json"), bytes = folder.resolve(BYTE_TOKENIZER_FILE), words = folder.resolve(WORD_TOKENIZER_FILE);
        if (Files.exists(hf)) return TokenizerJson.load(hf);
        if (Files.exists(words)) {
            var root = Json.read(words);
            if (root.get("words") == null || root.get("special_tokens") == null)
                throw LoadException.of(words, "needs words and special_tokens arrays");
            java.util.List<String> w = new java.util.ArrayList<>(), sp = new java.util.ArrayList<>();
            root.get("words").forEach(n -> w.add(n.asText()));
            root.get("special_tokens").forEach(n -> sp.add(n.asText()));
            return new WordTokenizer(w, sp);
        }
        if (!Files.exists(bytes)) return null;
        var node = Json.read(bytes).get("special_tokens");
        if (node == null || !node.isArray()) throw LoadException.of(bytes, "needs a special_tokens array");
        java.util.List<String> specials = new java.util.ArrayList<>();
        node.forEach(n -> specials.add(n.asText()));
        return new ByteTokenizer(specials);
    }

    /**
     * Writes a model folder {@link #load} reads back: config.json, model.safetensors (F32, atomically) and the
     * tokenizer description when it is the engine's byte tokenizer.
     */
    public static void save(Path folder, Transformer model, Tokenizer tokenizer) {
        save(folder, model, tokenizer, dev.gmsa.tensor.DType.F32);
    }

    /** The same with the weights stored as {@code storage} (BF16 halves a folder; F32 keeps every bit). */
    public static void save(Path folder, Transformer model, Tokenizer tokenizer, dev.gmsa.tensor.DType storage) {
        ModelConfigWriter.write(folder, model.config(), TORCH_DTYPES.get(storage));
        java.util.Map<String, dev.gmsa.tensor.Tensor> weights = new java.util.LinkedHashMap<>();
        model.parameters().forEach((name, v) -> weights.put(name, v.value().dtype() == storage ? v.value() : v.value().to(storage)));
        SafetensorsWriter.write(folder.resolve(SafetensorsCheckpoint.SINGLE_FILE), weights);
        if (tokenizer instanceof WordTokenizer wt) {
            var root = Json.MAPPER.createObjectNode();
            root.put("type", "words");
            wt.specials().forEach(root.putArray("special_tokens")::add);
            wt.words().forEach(root.putArray("words")::add);
            writeJson(folder.resolve(WORD_TOKENIZER_FILE), root);
        }
        if (tokenizer instanceof ByteTokenizer bt) {
            var root = Json.MAPPER.createObjectNode();
            root.put("type", "bytes");
            var arr = root.putArray("special_tokens");
            for (int id = 256; id < bt.vocabSize(); id++) arr.add(bt.token(id));
            writeJson(folder.resolve(BYTE_TOKENIZER_FILE), root);
        }
    }

    private static void writeJson(Path file, com.fasterxml.jackson.databind.JsonNode root) {
        try {
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (java.io.IOException e) {
            throw LoadException.of(file.toString(), "cannot write: " + e.getMessage(), e);
        }
    }

    /** How config.json names each storage dtype (Hugging Face's torch_dtype). */
    private static final java.util.Map<dev.gmsa.tensor.DType, String> TORCH_DTYPES = java.util.Map.of(
            dev.gmsa.tensor.DType.F32, "float32", dev.gmsa.tensor.DType.BF16, "bfloat16", dev.gmsa.tensor.DType.F16, "float16");

    public static final String BYTE_TOKENIZER_FILE = "byte_tokenizer.json", WORD_TOKENIZER_FILE = "word_tokenizer.json";


    /** The tokenizer, or a clear error when the folder has none. */
    public Tokenizer requireTokenizer() {
        if (tokenizer == null)
            throw LoadException.of(Files.isDirectory(folder) ? folder.resolve("tokenizer.json") : folder, "no tokenizer: this command needs one (or pass --ids)");
        return tokenizer;
    }

    @Override
    public void close() {
        try {
            weights.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the weights of " + folder + ": " + e.getMessage(), e);
        }
    }
}
