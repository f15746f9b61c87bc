package dev.gmsa.loaders;

import dev.gmsa.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.loaders.safetensors.SafetensorsCheckpoint;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fixture checkpoint against the outputs Hugging Face transformers computed for it (fp32, CPU):
 * logits, loss, greedy continuation and the gradient of the loss with respect to every parameter.
 */
class TransformerParityTest {
    private static final String[] MODELS = {"stories260K-hf", "tiny-llama3", "tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen3"};

    private record Fixture(Transformer model, JsonNode reference, int[] inputIds) {}

    private static Fixture load(String name) {
        Path dir = Fixtures.path(name);
        ModelConfig config = ModelConfigLoader.load(dir.resolve("config.json"));
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        Transformer model = Transformer.fromWeights(config, checkpoint.tensors());
        JsonNode reference = Json.read(dir.resolve("reference_outputs.json"));
        int[] ids = ints(reference.get("input_ids"));
        return new Fixture(model, reference, ids);
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-hf", "tiny-llama3", "tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen3"})
    void logitsMatchTheReferenceWithin1e4Relative(String name) {
        Fixture f = load(name);
        float[] logits;
        try (var noGrad = Grad.disabled()) {
            logits = f.model.forward(Tensor.ofInts(f.inputIds, 1, f.inputIds.length), 0, null).value().toFloatArray();
        }
        JsonNode ref = f.reference.get("logits");
        int vocab = f.model.config().vocabSize();
        for (int t = 0; t < ref.size(); t++) {
            double rowScale = 0;
            for (int v = 0; v < vocab; v++) rowScale = Math.max(rowScale, Math.abs(ref.get(t).get(v).asDouble()));
            for (int v = 0; v < vocab; v++) {
                double expected = ref.get(t).get(v).asDouble(), actual = logits[t * vocab + v];
                assertTrue(Math.abs(actual - expected) <= 1e-4 * Math.max(rowScale, 1e-3),
                        name + ": logit [" + t + "][" + v + "] = " + actual + ", reference " + expected);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-hf", "tiny-llama3", "tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen3"})
    void lossAndParameterGradientsMatchTheReference(String name) {
        Fixture f = load(name);
        int t = f.inputIds.length;
        Var logits = f.model.forward(Tensor.ofInts(f.inputIds, 1, t), 0, null);
        int[] targets = new int[t - 1];
        System.arraycopy(f.inputIds, 1, targets, 0, t - 1);
        Var loss = logits.narrow(1, 0, t - 1).reshape(t - 1, -1).crossEntropy(Tensor.ofInts(targets), -100);
        double expectedLoss = f.reference.get("loss").asDouble();
        assertEquals(expectedLoss, loss.item(), 1e-4 * Math.max(1, Math.abs(expectedLoss)), name + ": loss");
        loss.backward();
        JsonNode grads = f.reference.get("grad");
        for (var entry : f.model.parameters().entrySet()) {
            JsonNode ref = grads.get(entry.getKey());
            assertNotNull(ref, name + ": the reference has no gradient for parameter " + entry.getKey());
            Tensor grad = entry.getValue().grad();
            float[] g = grad.toFloatArray();
            double l2 = 0;
            for (float x : g) l2 += (double) x * x;
            l2 = Math.sqrt(l2);
            double expectedNorm = ref.get("l2").asDouble();
            assertEquals(expectedNorm, l2, 1e-3 * expectedNorm + 1e-7, name + ": |grad " + entry.getKey() + "|");
            JsonNode first = ref.get("first4");
            for (int i = 0; i < first.size(); i++)
                assertEquals(first.get(i).asDouble(), g[i], 1e-3 * expectedNorm / Math.sqrt(Math.max(g.length, 1)) + 1e-3 * Math.abs(first.get(i).asDouble()) + 1e-9,
                        name + ": grad " + entry.getKey() + "[" + i + "]");
        }
        for (var it = grads.fieldNames(); it.hasNext(); ) {
            String p = it.next();
            assertTrue(f.model.parameters().containsKey(p) || p.equals("lm_head.weight"), name + ": reference has a gradient for unknown parameter " + p);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stories260K-hf", "tiny-llama3", "tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen3"})
    void greedyContinuationMatchesTokenForToken(String name) {
        Fixture f = load(name);
        int[] expected = ints(f.reference.get("greedy_continuation"));
        var request = new Generator.Request(expected.length, SamplingSettings.greedyDecoding(), Set.of(), List.of());
        int[] actual = new Generator(f.model, null).generate(f.inputIds, request, null).ids();
        assertArrayEquals(expected, actual, name + ": greedy continuation");
    }
}
