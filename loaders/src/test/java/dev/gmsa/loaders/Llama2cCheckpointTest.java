package dev.gmsa.loaders;

import dev.gmsa.testing.Fixtures;
import dev.gmsa.autograd.Grad;
import dev.gmsa.loaders.llama2c.RotaryRowPermutation;
import dev.gmsa.loaders.safetensors.SafetensorsCheckpoint;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The llama2.c exports of stories260K against the same model in Hugging Face layout. */
class Llama2cCheckpointTest {
    private static final int[] TOKENS = {1, 403, 407, 261, 378, 30, 259, 15, 511, 2};

    private static Path llama2c(String file) {
        return Fixtures.path("stories260K-llama2c", file);
    }

    private static Map<String, Tensor> hfWeights() {
        return SafetensorsCheckpoint.open(Fixtures.path("stories260K-hf")).tensors();
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint_legacy.bin", "checkpoint_v1.bin"})
    void headerGivesTheHuggingFaceConfig(String file) {
        ModelConfig hf = ModelConfigLoader.load(Fixtures.path("stories260K-hf", "config.json"));
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(llama2c(file))) {
            assertEquals(file.contains("v1") ? 1 : 0, c.version());
            ModelConfig config = c.config();
            assertEquals(hf.hiddenSize(), config.hiddenSize());
            assertEquals(hf.intermediateSize(), config.intermediateSize());
            assertEquals(hf.numLayers(), config.numLayers());
            assertEquals(hf.numHeads(), config.numHeads());
            assertEquals(hf.numKeyValueHeads(), config.numKeyValueHeads());
            assertEquals(hf.headDim(), config.headDim());
            assertEquals(hf.vocabSize(), config.vocabSize());
            assertEquals(hf.tieWordEmbeddings(), config.tieWordEmbeddings());
            assertEquals(hf.rmsNormEps(), config.rmsNormEps(), 0);
            assertEquals(hf.ropeTheta(), config.ropeTheta(), 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint_legacy.bin", "checkpoint_v1.bin"})
    void everyWeightEqualsTheHuggingFaceWeight(String file) {
        Map<String, Tensor> hf = hfWeights();
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(llama2c(file))) {
            Map<String, Tensor> ours = c.tensors();
            assertEquals(hf.keySet(), ours.keySet(), file + ": weight names");
            assertEquals(Transformer.expectedNames(c.config()), ours.keySet().stream().toList(), file + ": checkpoint order");
            for (String name : hf.keySet()) {
                assertArrayEquals(hf.get(name).shape(), ours.get(name).shape(), file + ": shape of " + name);
                assertArrayEquals(hf.get(name).toFloatArray(), ours.get(name).toFloatArray(), 0f, file + ": " + name);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint_legacy.bin", "checkpoint_v1.bin"})
    void logitsEqualTheHuggingFaceModel(String file) {
        ModelConfig hfConfig = ModelConfigLoader.load(Fixtures.path("stories260K-hf", "config.json"));
        float[] expected = logits(Transformer.fromWeights(hfConfig, hfWeights()));
        float[] actual = logits(Llama2cCheckpoint.loadTransformer(llama2c(file)));
        assertEquals(expected.length, actual.length);
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++)
            assertTrue(Math.abs(actual[i] - expected[i]) <= 1e-5 * scale, file + ": logit " + i + " = " + actual[i] + ", HF " + expected[i]);
    }

    private static float[] logits(Transformer model) {
        try (var noGrad = Grad.disabled()) {
            return model.forward(Tensor.ofInts(TOKENS, 1, TOKENS.length), 0, null).value().toFloatArray();
        }
    }

    @Test
    void withoutThePermutationQueriesWouldDiffer() {
        // guards the test above: the HF fixture really is in the other RoPE layout
        Map<String, Tensor> hf = hfWeights();
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(llama2c("checkpoint_v1.bin"))) {
            float[] ours = c.tensors().get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            float[] hfq = hf.get("model.layers.0.self_attn.q_proj.weight").toFloatArray();
            assertTrue(!Arrays.equals(ours, RotaryRowPermutation.interleavedToHalfSplit(hfq, 8, 8, 64)));
        }
    }

    @Test
    void permutationMovesPairRowsToHalves() {
        // 2 heads of size 4, 1 column: head rows (0,1,2,3) hold pairs (0,1) and (2,3)
        float[] w = {0, 1, 2, 3, 10, 11, 12, 13};
        assertArrayEquals(new float[] {0, 2, 1, 3, 10, 12, 11, 13}, RotaryRowPermutation.interleavedToHalfSplit(w, 2, 4, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"checkpoint_legacy.bin", "checkpoint_v1.bin"})
    void truncatedFileIsALoadExceptionNamingTheFile(String file, @TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(llama2c(file));
        Path cut = write(dir, "cut.bin", Arrays.copyOf(bytes, bytes.length - 1000));
        LoadException e = assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        Path header = write(dir, "header.bin", Arrays.copyOf(bytes, 20));
        e = assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(header));
        assertTrue(e.getMessage().contains(header.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void extraBytesMeanTheSizesDoNotAddUp(@TempDir Path dir) throws IOException {
        byte[] bytes = Files.readAllBytes(llama2c("checkpoint_legacy.bin"));
        Path longer = write(dir, "long.bin", Arrays.copyOf(bytes, bytes.length + 8));
        LoadException e = assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(longer));
        assertTrue(e.getMessage().contains("do not add up"), e.getMessage());
    }

    @Test
    void unsupportedVersionAndBadHeaderValuesAreRejected(@TempDir Path dir) throws IOException {
        byte[] v1 = Files.readAllBytes(llama2c("checkpoint_v1.bin"));
        Path v2 = write(dir, "v2.bin", withInt(v1, 4, 2));
        assertTrue(assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(v2)).getMessage().contains("version 2"));
        Path v7 = write(dir, "v7.bin", withInt(v1, 4, 7));
        assertTrue(assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(v7)).getMessage().contains("version 7"));
        byte[] legacy = Files.readAllBytes(llama2c("checkpoint_legacy.bin"));
        Path noDim = write(dir, "nodim.bin", withInt(legacy, 0, -64));
        assertTrue(assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(noDim)).getMessage().contains("dim = -64"));
        Path huge = write(dir, "huge.bin", withInt(withInt(legacy, 4, Integer.MAX_VALUE), 8, Integer.MAX_VALUE));
        assertTrue(assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(huge)).getMessage().contains(huge.toString()));
        Path missing = dir.resolve("missing.bin");
        assertTrue(assertThrows(LoadException.class, () -> Llama2cCheckpoint.open(missing)).getMessage().contains("not found"));
    }

    @Test
    void negativeLegacyVocabMeansAnUnsharedClassifier(@TempDir Path dir) throws IOException {
        // the shared file with vocab flagged negative and the embedding appended again as wcls
        byte[] legacy = Files.readAllBytes(llama2c("checkpoint_legacy.bin"));
        int embeddingBytes = 512 * 64 * 4;
        byte[] unshared = Arrays.copyOf(withInt(legacy, 20, -512), legacy.length + embeddingBytes);
        System.arraycopy(legacy, 28, unshared, legacy.length, embeddingBytes);
        try (Llama2cCheckpoint c = Llama2cCheckpoint.open(write(dir, "unshared.bin", unshared))) {
            assertTrue(!c.config().tieWordEmbeddings());
            assertArrayEquals(c.tensors().get("model.embed_tokens.weight").toFloatArray(),
                    c.tensors().get("lm_head.weight").toFloatArray(), 0f);
        }
    }

    private static byte[] withInt(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        return copy;
    }

    private static Path write(Path dir, String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }
}
