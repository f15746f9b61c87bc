package dev.gmsa.loaders;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmsa.transformer.ModelConfig;

import java.nio.file.Path;

/** Writes a {@link ModelConfig} as a Hugging Face config.json that {@link ModelConfigLoader} (and transformers) read back. */
public final class ModelConfigWriter {
    private ModelConfigWriter() {}

    public static ObjectNode toJson(ModelConfig c) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        String cls = switch (c.architecture()) {
            case "llama" -> "LlamaForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "Qwen3ForCausalLM";
        };
        o.putArray("architectures").add(cls);
        o.put("model_type", c.architecture());
        o.put("hidden_size", c.hiddenSize());
        o.put("intermediate_size", c.intermediateSize());
        o.put("num_hidden_layers", c.numLayers());
        o.put("num_attention_heads", c.numHeads());
        o.put("num_key_value_heads", c.numKeyValueHeads());
        o.put("head_dim", c.headDim());
        o.put("vocab_size", c.vocabSize());
        o.put("rms_norm_eps", c.rmsNormEps());
        o.put("rope_theta", c.ropeTheta());
        if (c.ropeScaling() != null) {
            ObjectNode s = o.putObject("rope_scaling");
            s.put("rope_type", "llama3");
            s.put("factor", c.ropeScaling().factor());
            s.put("low_freq_factor", c.ropeScaling().lowFreqFactor());
            s.put("high_freq_factor", c.ropeScaling().highFreqFactor());
            s.put("original_max_position_embeddings", c.ropeScaling().originalMaxPositionEmbeddings());
        }
        o.put("max_position_embeddings", c.maxPositionEmbeddings());
        o.put("tie_word_embeddings", c.tieWordEmbeddings());
        if (!c.architecture().equals("qwen2")) o.put("attention_bias", c.qkvBias());
        o.put("mlp_bias", c.mlpBias());
        putIds(o, "bos_token_id", c.bosTokenIds());
        putIds(o, "eos_token_id", c.eosTokenIds());
        o.put("torch_dtype", c.dtype());
        return o;
    }

    private static void putIds(ObjectNode o, String key, java.util.List<Integer> ids) {
        if (ids.isEmpty()) o.putNull(key);
        else if (ids.size() == 1) o.put(key, ids.get(0));
        else {
            ArrayNode a = o.putArray(key);
            ids.forEach(a::add);
        }
    }

    /** Writes {@code dir/config.json} atomically. */
    public static void write(Path dir, ModelConfig c) {
        write(dir, toJson(c));
    }

    /** The same with {@code torch_dtype} naming how the weights beside it are stored (e.g. bfloat16). */
    public static void write(Path dir, ModelConfig c, String torchDtype) {
        ObjectNode json = toJson(c);
        json.put("torch_dtype", torchDtype);
        write(dir, json);
    }

    private static void write(Path dir, ObjectNode json) {
        AtomicFiles.write(dir.resolve("config.json"), out -> Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, json));
    }
}
