package dev.gmsa.loaders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.transformer.Llama3RopeScaling;
import dev.gmsa.transformer.ModelConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a Hugging Face {@code config.json} into a {@link ModelConfig}. Defaults follow transformers'
 * LlamaConfig / Qwen2Config / Qwen3Config. RoPE settings are accepted both in the transformers 4 layout
 * (top-level {@code rope_theta}, {@code rope_scaling}) and in the transformers 5 layout ({@code rope_parameters}).
 */
public final class ModelConfigLoader {
    private static final Map<String, String> ARCHITECTURE_CLASSES = Map.of(
            "LlamaForCausalLM", "llama", "Qwen2ForCausalLM", "qwen2", "Qwen3ForCausalLM", "qwen3");

    private ModelConfigLoader() {}

    /** {@code path} is a config.json file or the model folder holding one. */
    public static ModelConfig load(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        return fromJson(Json.read(file), file.toString());
    }

    public static ModelConfig fromJson(JsonNode root, String source) {
        if (!root.isObject()) throw new LoadException(source + ": config is not a JSON object");
        ConfigReader c = new ConfigReader(root, source);
        String arch = architecture(root, source);
        int hidden = c.requiredInt("hidden_size");
        int heads = c.requiredInt("num_attention_heads");
        // Qwen3Config's default head_dim is 128 whatever the hidden size; the others derive it
        int headDim = c.optionalInt("head_dim", arch.equals("qwen3") ? 128 : hidden / Math.max(heads, 1));
        JsonNode rope = ropeParameters(root, source);
        boolean attentionBias = c.optionalBool("attention_bias", false);
        if (c.optionalBool("use_sliding_window", false))
            throw new LoadException(source + ": use_sliding_window=true is not supported");
        try {
            return new ModelConfig(arch, hidden, c.requiredInt("intermediate_size"), c.requiredInt("num_hidden_layers"),
                    heads, c.optionalInt("num_key_value_heads", heads), headDim, c.requiredInt("vocab_size"),
                    c.optionalDouble("rms_norm_eps", 1e-6), ropeTheta(root, rope, c), llama3Scaling(rope, source),
                    c.optionalInt("max_position_embeddings", arch.equals("llama") ? 2048 : 32768),
                    c.optionalBool("tie_word_embeddings", false),
                    arch.equals("qwen2") || attentionBias, // Qwen2 always has q/k/v biases
                    !arch.equals("qwen2") && attentionBias,
                    c.optionalBool("mlp_bias", false),
                    arch.equals("qwen3"),
                    c.tokenIds("bos_token_id"), c.tokenIds("eos_token_id"), dtype(root));
        } catch (IllegalArgumentException e) {
            throw LoadException.of(source, e.getMessage(), e);
        }
    }

    private static String architecture(JsonNode root, String source) {
        JsonNode type = root.get("model_type");
        if (type != null && type.isTextual()) return supported(type.textValue(), source);
        JsonNode archs = root.get("architectures");
        if (archs != null && archs.isArray() && !archs.isEmpty() && archs.get(0).isTextual()) {
            String cls = archs.get(0).textValue();
            return supported(ARCHITECTURE_CLASSES.getOrDefault(cls, cls), source);
        }
        throw new LoadException(source + ": no model_type or architectures (supported: llama, qwen2, qwen3)");
    }

    private static String supported(String arch, String source) {
        if (!ModelConfig.SUPPORTED_ARCHITECTURES.contains(arch))
            throw new LoadException(source + ": unsupported architecture " + arch + " (supported: llama, qwen2, qwen3)");
        return arch;
    }

    /** The object holding rope_type and friends: rope_parameters (transformers 5) or rope_scaling (4), or null. */
    private static JsonNode ropeParameters(JsonNode root, String source) {
        for (String key : new String[] {"rope_parameters", "rope_scaling"}) {
            JsonNode node = root.get(key);
            if (node == null || node.isNull()) continue;
            if (!node.isObject()) throw new LoadException(source + ": " + key + " is not a JSON object");
            return node;
        }
        return null;
    }

    private static double ropeTheta(JsonNode root, JsonNode rope, ConfigReader c) {
        if (rope != null && rope.has("rope_theta")) return new ConfigReader(rope, c.source + " rope_parameters").optionalDouble("rope_theta", 10000);
        return c.optionalDouble("rope_theta", 10000);
    }

    private static Llama3RopeScaling llama3Scaling(JsonNode rope, String source) {
        if (rope == null) return null;
        JsonNode typeNode = rope.has("rope_type") ? rope.get("rope_type") : rope.get("type");
        String type = typeNode == null || typeNode.isNull() ? "default" : typeNode.asText();
        if (type.equals("default")) return null;
        if (!type.equals("llama3"))
            throw new LoadException(source + ": unsupported rope type " + type + " (supported: default, llama3)");
        ConfigReader r = new ConfigReader(rope, source + " rope parameters");
        return new Llama3RopeScaling(r.requiredDouble("factor"), r.requiredDouble("low_freq_factor"),
                r.requiredDouble("high_freq_factor"), r.requiredInt("original_max_position_embeddings"));
    }

    private static String dtype(JsonNode root) {
        for (String key : new String[] {"dtype", "torch_dtype"}) {
            JsonNode n = root.get(key);
            if (n != null && n.isTextual()) return n.textValue();
        }
        return "float32"; // transformers loads weights as float32 when the config names no dtype
    }

    /** Typed access to config keys with errors naming the file and key. */
    private record ConfigReader(JsonNode root, String source) {
        int requiredInt(String key) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) throw new LoadException(source + ": missing " + key);
            return toInt(key, n);
        }

        int optionalInt(String key, int fallback) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() ? fallback : toInt(key, n);
        }

        private int toInt(String key, JsonNode n) {
            if (!n.isIntegralNumber() || !n.canConvertToInt()) throw new LoadException(source + ": " + key + " must be an integer, got " + n);
            return n.intValue();
        }

        double requiredDouble(String key) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) throw new LoadException(source + ": missing " + key);
            return toDouble(key, n);
        }

        double optionalDouble(String key, double fallback) {
            JsonNode n = root.get(key);
            return n == null || n.isNull() ? fallback : toDouble(key, n);
        }

        private double toDouble(String key, JsonNode n) {
            if (!n.isNumber()) throw new LoadException(source + ": " + key + " must be a number, got " + n);
            return n.doubleValue();
        }

        boolean optionalBool(String key, boolean fallback) {
            JsonNode n = root.get(key);
            if (n == null || n.isNull()) return fallback;
            if (!n.isBoolean()) throw new LoadException(source + ": " + key + " must be true or false, got " + n);
            return n.booleanValue();
        }

        /** An id, a list of ids, or null (empty list). */
        List<Integer> tokenIds(String key) {
            JsonNode n = root.get(key);
            List<Integer> ids = new ArrayList<>();
            if (n == null || n.isNull()) return ids;
            if (n.isArray()) for (JsonNode e : n) ids.add(toInt(key, e));
            else ids.add(toInt(key, n));
            return ids;
        }
    }
}
