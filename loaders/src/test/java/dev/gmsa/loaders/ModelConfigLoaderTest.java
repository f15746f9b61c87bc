package dev.gmsa.loaders;

import dev.gmsa.testing.Fixtures;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmsa.transformer.Llama3RopeScaling;
import dev.gmsa.transformer.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigLoaderTest {
    private static ModelConfig fixture(String model) {
        return ModelConfigLoader.load(Fixtures.path(model));
    }

    @Test
    void tinyLlama3HasGqaUntiedHeadAndLlama3RopeScalingInsideRopeParameters() {
        ModelConfig c = fixture("tiny-llama3");
        assertEquals("llama", c.architecture());
        assertEquals(64, c.hiddenSize());
        assertEquals(160, c.intermediateSize());
        assertEquals(2, c.numLayers());
        assertEquals(4, c.numHeads());
        assertEquals(2, c.numKeyValueHeads());
        assertEquals(2, c.groupSize());
        assertEquals(16, c.headDim());
        assertEquals(512, c.vocabSize());
        assertEquals(1e-5, c.rmsNormEps());
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(new Llama3RopeScaling(8.0, 1.0, 4.0, 64), c.ropeScaling());
        assertEquals(512, c.maxPositionEmbeddings());
        assertFalse(c.tieWordEmbeddings());
        assertFalse(c.qkvBias());
        assertFalse(c.qkNorm());
        assertEquals(List.of(1), c.bosTokenIds());
        assertEquals(List.of(2), c.eosTokenIds());
    }

    @Test
    void qwen2HasQkvBiasButNoOutputBiasAndATiedHead() {
        for (String model : new String[] {"tiny-qwen2", "tiny-qwen2-bf16"}) {
            ModelConfig c = fixture(model);
            assertEquals("qwen2", c.architecture());
            assertTrue(c.qkvBias(), model);
            assertFalse(c.outputBias(), model);
            assertTrue(c.tieWordEmbeddings(), model);
            assertEquals(16, c.headDim(), model);
            assertEquals(1e6, c.ropeTheta(), model);
            assertEquals(1e-6, c.rmsNormEps(), model);
            assertNull(c.ropeScaling(), model);
            assertEquals(List.of(), c.bosTokenIds(), model);
            assertEquals(128, c.intermediateSize(), model);
        }
    }

    @Test
    void qwen3HasQkNormAndAnExplicitHeadDimDifferentFromHiddenOverHeads() {
        ModelConfig c = fixture("tiny-qwen3");
        assertEquals("qwen3", c.architecture());
        assertTrue(c.qkNorm());
        assertFalse(c.qkvBias());
        assertEquals(32, c.headDim());
        assertEquals(4, c.numHeads());
        assertEquals(64, c.hiddenSize());
        assertEquals(1e6, c.ropeTheta());
    }

    @Test
    void stories260KUsesTopLevelRopeThetaAndTorchDtype() {
        ModelConfig c = fixture("stories260K-hf");
        assertEquals("llama", c.architecture());
        assertEquals(5, c.numLayers());
        assertEquals(8, c.numHeads());
        assertEquals(4, c.numKeyValueHeads());
        assertEquals(8, c.headDim());
        assertEquals(172, c.intermediateSize());
        assertEquals(10000.0, c.ropeTheta());
        assertTrue(c.tieWordEmbeddings());
        assertEquals("float32", c.dtype());
    }

    @Test
    void defaultRopeInverseFrequenciesAreThetaToTheMinusTwoIOverD() {
        // stories260K: head_dim 8, theta 1e4 -> 1, 1e4^(-1/4), 1e4^(-1/2), 1e4^(-3/4)
        assertArrayEquals(new float[] {1f, 0.1f, 0.01f, 0.001f}, fixture("stories260K-hf").ropeInverseFrequencies(), 1e-9f);
    }

    @Test
    void llama3ScalingKeepsHighFrequenciesDividesLowOnesAndInterpolatesBetween() {
        // tiny-llama3: head_dim 16, theta 5e5, factor 8, low 1, high 4, original context 64.
        // Wavelength bounds: 64 / 4 = 16 and 64 / 1 = 64.
        // i=0: inv 1, wavelength 2*pi < 16: kept.
        // i=1: inv 5e5^(-1/8) = 0.193922745, wavelength 32.40: smooth = (64 / 32.40 - 1) / 3 = 0.325072,
        //      (1 - smooth) * inv / 8 + smooth * inv = 0.0794030092.
        // i>=2: wavelength > 64: inv / 8, e.g. 5e5^(-1/4) / 8 = 0.0376060309 / 8 = 0.00470075387.
        float[] expected = {1.0f, 0.0794030091792082f, 0.004700753866357992f, 0.0009115830921521387f,
                1.7677669529663688e-4f, 3.428102195952591e-5f, 6.647869871181235e-6f, 1.2891731721515574e-6f};
        float[] actual = fixture("tiny-llama3").ropeInverseFrequencies();
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], Math.ulp(expected[i]) * 2, "pair " + i);
    }

    @Test
    void transformers4RopeScalingAndListEosAreAccepted() {
        ObjectNode cfg = minimal("llama");
        cfg.put("rope_theta", 500000.0);
        ObjectNode scaling = cfg.putObject("rope_scaling");
        scaling.put("rope_type", "llama3").put("factor", 32.0).put("low_freq_factor", 1.0).put("high_freq_factor", 4.0)
                .put("original_max_position_embeddings", 8192);
        cfg.putArray("eos_token_id").add(128001).add(128008).add(128009);
        cfg.put("torch_dtype", "bfloat16");
        ModelConfig c = ModelConfigLoader.fromJson(cfg, "config.json");
        assertEquals(new Llama3RopeScaling(32, 1, 4, 8192), c.ropeScaling());
        assertEquals(500000.0, c.ropeTheta());
        assertEquals(List.of(128001, 128008, 128009), c.eosTokenIds());
        assertEquals("bfloat16", c.dtype());
        assertEquals(4, c.numKeyValueHeads()); // defaults to num_attention_heads
        assertEquals(16, c.headDim()); // hidden / heads
    }

    @Test
    void architectureComesFromArchitecturesWhenModelTypeIsMissing() {
        ObjectNode cfg = minimal("qwen2");
        cfg.remove("model_type");
        cfg.putArray("architectures").add("Qwen2ForCausalLM");
        assertEquals("qwen2", ModelConfigLoader.fromJson(cfg, "config.json").architecture());
    }

    @Test
    void unsupportedArchitecturesAreRefusedByName() {
        LoadException e = assertThrows(LoadException.class, () -> ModelConfigLoader.fromJson(minimal("mistral"), "x/config.json"));
        assertEquals("x/config.json: unsupported architecture mistral (supported: llama, qwen2, qwen3)", e.getMessage());
        ObjectNode cfg = minimal("llama");
        cfg.remove("model_type");
        cfg.putArray("architectures").add("GPT2LMHeadModel");
        assertTrue(assertThrows(LoadException.class, () -> ModelConfigLoader.fromJson(cfg, "c.json")).getMessage()
                .contains("unsupported architecture GPT2LMHeadModel"));
    }

    @Test
    void badValuesNameTheFileAndTheKey() {
        ObjectNode missing = minimal("llama");
        missing.remove("hidden_size");
        assertMessage(missing, "c.json: missing hidden_size");
        ObjectNode text = minimal("llama");
        text.put("num_hidden_layers", "two");
        assertMessage(text, "num_hidden_layers must be an integer");
        ObjectNode groups = minimal("llama");
        groups.put("num_key_value_heads", 3);
        assertMessage(groups, "num_attention_heads 4 is not a multiple of num_key_value_heads 3");
        ObjectNode yarn = minimal("qwen2");
        yarn.putObject("rope_scaling").put("type", "yarn").put("factor", 4.0);
        assertMessage(yarn, "unsupported rope type yarn");
        ObjectNode negative = minimal("qwen3");
        negative.put("vocab_size", -5);
        assertMessage(negative, "vocab_size must be > 0");
    }

    @Test
    void missingAndMalformedFilesGiveOneLineNamingTheFile(@TempDir Path dir) throws IOException {
        assertEquals(dir.resolve("config.json") + ": file not found",
                assertThrows(LoadException.class, () -> ModelConfigLoader.load(dir)).getMessage());
        Path bad = dir.resolve("config.json");
        Files.writeString(bad, "{\"model_type\": \"llama\",");
        String message = assertThrows(LoadException.class, () -> ModelConfigLoader.load(bad)).getMessage();
        assertTrue(message.startsWith(bad + ": invalid JSON"), message);
        Files.writeString(bad, "{\"model_type\": \"llama\", \"model_type\": \"qwen2\"}");
        assertTrue(assertThrows(LoadException.class, () -> ModelConfigLoader.load(bad)).getMessage().contains("Duplicate field"));
    }

    private static void assertMessage(ObjectNode cfg, String expectedPart) {
        String message = assertThrows(LoadException.class, () -> ModelConfigLoader.fromJson(cfg, "c.json")).getMessage();
        assertTrue(message.startsWith("c.json: ") && message.contains(expectedPart), message);
    }

    private static ObjectNode minimal(String modelType) {
        ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("model_type", modelType).put("hidden_size", 64).put("intermediate_size", 128).put("num_hidden_layers", 2)
                .put("num_attention_heads", 4).put("vocab_size", 100).put("rms_norm_eps", 1e-5);
        return cfg;
    }
}
