package dev.gmsa.compress.train;

import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed after a checkpoint and resumed continues exactly as if it had never stopped. */
class TrainingResumeTest {
    private static final ModelConfig TINY = ModelConfig.builder().hiddenSize(16).intermediateSize(32).numLayers(2).numHeads(2)
            .numKeyValueHeads(1).headDim(8).vocabSize(30).maxPositionEmbeddings(64)
            .tieWordEmbeddings(true).eosTokenIds(29).build();
    private static final int[] TEXT = {1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6, 2, 6, 4, 3, 3, 8, 3, 2, 7, 9, 5};

    private static Compressor compressor(Transformer decoder) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        decoder.parameters().forEach((n, v) -> w.put(n, v.value()));
        return new Compressor(CompressorSpec.gmsa(1, 1, new LoraSettings(2, 4f, 0.1f, List.of("q_proj", "v_proj"))), TINY, w, decoder, 16, 7);
    }

    private static float[] trainAe(Compressor c, Transformer decoder, int steps, Path checkpoint) {
        var task = new AutoencoderTraining.Task(2, new int[] {2, 4}, new int[] {3}, 29);
        var settings = TrainingLoop.Settings.of(steps, 1e-2f).warmup(2).clip(2f).weightDecay(0.01f).seed(11).checkpoint(checkpoint, 2);
        return AutoencoderTraining.train(c, decoder, rng -> java.util.Arrays.copyOfRange(TEXT, rng.nextInt(10), 10 + rng.nextInt(10)),
                task, settings, null).losses();
    }

    @Test
    void resumedAutoencoderRunMatchesAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Transformer decoderA = Transformer.randomInit(TINY, 1);
        Compressor a = compressor(decoderA);
        float[] straight = trainAe(a, decoderA, 6, null);

        // a run that is killed in step 5, after its step-4 checkpoint
        Path ckpt = dir.resolve("ae.safetensors");
        Transformer decoderC = Transformer.randomInit(TINY, 1);
        var task = new AutoencoderTraining.Task(2, new int[] {2, 4}, new int[] {3}, 29);
        var four = TrainingLoop.Settings.of(6, 1e-2f).warmup(2).clip(2f).weightDecay(0.01f).seed(11).checkpoint(ckpt, 2);
        Compressor c = compressor(decoderC);
        assertThrows(RuntimeException.class, () -> AutoencoderTraining.train(c, decoderC,
                new java.util.function.Function<java.util.SplittableRandom, int[]>() {
                    int calls;
                    public int[] apply(java.util.SplittableRandom rng) {
                        if (++calls > 8) throw new RuntimeException("killed"); // 2 examples per step: dies in step 5
                        return java.util.Arrays.copyOfRange(TEXT, rng.nextInt(10), 10 + rng.nextInt(10));
                    }
                }, task, four, null));
        assertTrue(Files.exists(ckpt), "a checkpoint was written before the kill");

        Transformer decoderD = Transformer.randomInit(TINY, 1);
        Compressor d = compressor(decoderD);
        float[] resumed = trainAe(d, decoderD, 6, ckpt);
        // Same batches, dropout masks and optimizer state, so the same steps. Not bit for bit: the Vector API's
        // lane reductions may add in another order once the JIT compiles them, which moves the last bit.
        assertArrayEquals(straight, resumed, 1e-5f, "loss history after resume");
        a.trainableParameters().forEach((name, v) ->
                assertArrayEquals(v.value().toFloatArray(), d.trainableParameters().get(name).value().toFloatArray(), 1e-5f, name));
    }

    @Test
    void aCheckpointOfAnotherRunIsRefused(@TempDir Path dir) {
        Path ckpt = dir.resolve("x.safetensors");
        Transformer decoder = Transformer.randomInit(TINY, 1);
        trainAe(compressor(decoder), decoder, 2, ckpt);
        Transformer model = Transformer.randomInit(TINY, 2);
        var settings = TrainingLoop.Settings.of(2, 1e-2f).warmup(1).seed(11).checkpoint(ckpt, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> LanguageModelTraining.train(model, TEXT, 1, 8, settings, null));
        assertTrue(e.getMessage().contains("cannot resume run pretrain"), e.getMessage());
    }
}
