package dev.gmsa.loaders.safetensors;

import dev.gmsa.testing.Fixtures;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.loaders.Json;
import dev.gmsa.loaders.LoadException;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture checkpoints open, sharded or not, and their tensors read the mapped bytes in place. */
class SafetensorsCheckpointTest {
    @ParameterizedTest
    @ValueSource(strings = {"tiny-llama3", "tiny-qwen2", "tiny-qwen2-bf16", "tiny-qwen3", "stories260K-hf"})
    void everyParameterWithAGradientInTheReferenceIsInTheCheckpoint(String model) {
        JsonNode grads = Json.read(Fixtures.path(model, "reference_outputs.json")).get("grad");
        Set<String> expected = new TreeSet<>();
        grads.fieldNames().forEachRemaining(expected::add);
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(Fixtures.path(model))) {
            Set<String> present = new TreeSet<>(ckpt.names());
            assertTrue(present.containsAll(expected), () -> "missing " + difference(expected, present));
            for (String name : ckpt.names()) {
                Tensor t = ckpt.tensor(name);
                assertTrue(t.storage() instanceof CpuStorage s && s.segment() != null, name + " is read in place");
                assertEquals(model.endsWith("bf16") ? DType.BF16 : DType.F32, t.dtype(), name);
            }
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new TreeSet<>(a);
        d.removeAll(b);
        return d;
    }

    @Test
    void shardedLlama3IsMappedFromBothFilesAsTheIndexSays() {
        JsonNode weightMap = Json.read(Fixtures.path("tiny-llama3", "model.safetensors.index.json")).get("weight_map");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(Fixtures.path("tiny-llama3"))) {
            assertEquals(weightMap.size(), ckpt.names().size());
            assertArrayEquals(new int[] {512, 64}, ckpt.tensor("model.embed_tokens.weight").shape());
            assertArrayEquals(new int[] {512, 64}, ckpt.tensor("lm_head.weight").shape());
            assertArrayEquals(new int[] {32, 64}, ckpt.tensor("model.layers.0.self_attn.k_proj.weight").shape());
        }
    }

    @Test
    void bf16CheckpointHoldsTheF32WeightsRoundedToBf16() {
        try (SafetensorsCheckpoint f32 = SafetensorsCheckpoint.open(Fixtures.path("tiny-qwen2"));
             SafetensorsCheckpoint bf16 = SafetensorsCheckpoint.open(Fixtures.path("tiny-qwen2-bf16"))) {
            assertEquals(f32.names(), bf16.names());
            for (String name : f32.names()) {
                float[] full = f32.tensor(name).toFloatArray(), half = bf16.tensor(name).toFloatArray();
                for (int i = 0; i < full.length; i++)
                    assertEquals(DType.bf16ToFloat(DType.floatToBf16(full[i])), half[i], name + "[" + i + "]");
            }
        }
    }

    @Test
    void tensorValuesAreTheFileBytesReadIndependently() throws IOException {
        Path file = Fixtures.path("stories260K-hf", "model.safetensors");
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TensorEntry e = f.entry("model.norm.weight");
            float[] values = f.tensor("model.norm.weight").toFloatArray();
            ByteBuffer raw = ByteBuffer.wrap(bytes, (int) (8 + headerLength + e.begin()), (int) e.byteLength()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) assertEquals(raw.getFloat(), v);
            assertFalse(raw.hasRemaining());
        }
    }

    @Test
    void indexPointingOutsideTheFolderOrAtTheWrongShardIsRefused(@TempDir Path dir) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("a", Tensor.of(new float[] {1, 2}));
        SafetensorsWriter.write(dir.resolve("s1.safetensors"), tensors);
        Path index = dir.resolve(SafetensorsCheckpoint.INDEX_FILE);
        Files.writeString(index, "{\"weight_map\":{\"a\":\"../s1.safetensors\"}}");
        assertTrue(assertThrows(LoadException.class, () -> SafetensorsCheckpoint.open(dir)).getMessage().contains("outside the model folder"));
        SafetensorsWriter.write(dir.resolve("s2.safetensors"), Map.of("b", Tensor.of(new float[] {3})));
        Files.writeString(index, "{\"weight_map\":{\"a\":\"s2.safetensors\",\"b\":\"s2.safetensors\"}}");
        String message = assertThrows(LoadException.class, () -> SafetensorsCheckpoint.open(dir)).getMessage();
        assertTrue(message.contains("tensor 'a'") && message.contains("s2.safetensors"), message);
        Files.writeString(index, "{\"weight_map\":{\"a\":\"s1.safetensors\",\"b\":\"s2.safetensors\"}}");
        try (SafetensorsCheckpoint ckpt = SafetensorsCheckpoint.open(dir)) {
            assertArrayEquals(new float[] {1, 2}, ckpt.tensor("a").toFloatArray());
            assertArrayEquals(new float[] {3}, ckpt.tensor("b").toFloatArray());
            assertNotNull(ckpt.entry("b"));
        }
        assertTrue(assertThrows(LoadException.class, () -> SafetensorsCheckpoint.open(dir.resolve("none"))).getMessage().contains("not found"));
    }

    @Test
    void writerReplacesAnExistingFileAndLeavesNoTemporaryBehind(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, Map.of("w", Tensor.of(new float[] {1})));
        SafetensorsWriter.write(file, Map.of("w", Tensor.of(new float[] {1, 2, 3}).to(DType.F16)), Map.of("step", "2"));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertEquals(DType.F16, f.tensor("w").dtype());
            assertArrayEquals(new float[] {1, 2, 3}, f.tensor("w").toFloatArray());
            assertEquals(Map.of("step", "2"), f.metadata());
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
