package dev.gmsa.compress;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoencoderTrainingTest {
    private static final ModelConfig TINY = ModelConfig.builder().hiddenSize(32).intermediateSize(64).numLayers(2).numHeads(4)
            .numKeyValueHeads(2).headDim(8).vocabSize(40).maxPositionEmbeddings(128)
            .tieWordEmbeddings(true).eosTokenIds(39).build();

    /** A random decoder with real spread (N(0, 1/fan_in) matrices, N(0, 1) embeddings), so its logits are not flat. */
    private static Transformer spreadDecoder(long seed) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (String name : Transformer.expectedNames(TINY)) {
            int[] shape = Transformer.shapeOf(TINY, name);
            if (shape.length == 1) w.put(name, Tensor.ones(shape));
            else w.put(name, Tensor.randn(seed++, name.contains("embed") ? 1f : (float) (1 / Math.sqrt(shape[1])), shape));
        }
        return Transformer.fromWeights(TINY, w);
    }

    private static Map<String, Tensor> weights(Transformer model) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        model.parameters().forEach((name, v) -> w.put(name, v.value()));
        return w;
    }

    @Test
    void softTokenCountIsCeilingOfLengthOverRate() {
        assertEquals(4, Compressor.softTokenCount(16, 4));
        assertEquals(5, Compressor.softTokenCount(17, 4));
        assertEquals(1, Compressor.softTokenCount(3, 8));
    }

    @Test
    void decoderInputScoresTextThenEosAfterSoftTokensAndInstruction() {
        Transformer decoder = Transformer.randomInit(TINY, 1);
        Var soft = Var.constant(Tensor.zeros(1, 3, 32));
        DecoderInput input = DecoderInput.of(decoder, soft, new int[] {7, 8}, new int[] {1, 2, 3}, 39);
        assertArrayEquals(new int[] {1, 8, 32}, input.embeddings().shape());
        int x = DecoderInput.IGNORE;
        assertArrayEquals(new int[] {x, x, x, x, 1, 2, 3, 39}, input.targets().toIntArray());
    }

    @Test
    void gmsaProducesOneSoftTokenPerGroupIncludingTheShorterLastOne() {
        Transformer decoder = Transformer.randomInit(TINY, 2);
        Compressor gmsa = new Compressor(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), TINY, weights(decoder), decoder, 16, 3);
        try (var noGrad = Grad.disabled()) {
            assertArrayEquals(new int[] {1, 3, 32}, gmsa.compress(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 4).shape());
        }
        Compressor tcp = new Compressor(CompressorSpec.tcpAe(1, LoraSettings.defaults()), TINY, weights(decoder), decoder, 16, 3);
        try (var noGrad = Grad.disabled()) {
            assertArrayEquals(new int[] {1, 2, 32}, tcp.compress(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 8).shape());
        }
    }

    @Test
    void autoencoderLossFallsOnRepeatedText() {
        Transformer decoder = spreadDecoder(4);
        Compressor gmsa = new Compressor(CompressorSpec.gmsa(1, 1, new LoraSettings(4, 8f, 0f, List.of("q_proj", "v_proj"))),
                TINY, weights(decoder), decoder, 16, 5);
        int[] text = {3, 14, 15, 9, 2, 6, 5, 35, 8, 9, 7, 9};
        var task = new AutoencoderTraining.Task(1, new int[] {4}, new int[] {1}, 39);
        var settings = TrainingLoop.Settings.of(40, 3e-2f).warmup(2).clip(2.0f).seed(6);
        float[] losses = AutoencoderTraining.train(gmsa, decoder, rng -> text, task, settings, null).losses();
        assertTrue(losses[losses.length - 1] < 0.7f * losses[0], "loss should fall: first " + losses[0] + ", last " + losses[losses.length - 1]);
        assertTrue(decoder.parameters().values().stream().allMatch(p -> p.grad() == null), "the decoder stays frozen");
    }

    /** A batch gives each window the soft tokens and loss it gets alone (gmsa and the memory-token baseline). */
    @Test
    void batchedCompressionAndLossEqualOneExampleAtATime() {
        Transformer decoder = spreadDecoder(7);
        int[][] texts = {{3, 14, 15, 9, 2, 6, 5, 35, 8, 9, 7}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, {30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20}};
        for (CompressorSpec spec : List.of(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), CompressorSpec.tcpAe(1, LoraSettings.defaults()))) {
            Compressor c = new Compressor(spec, TINY, weights(decoder), decoder, 16, 8);
            try (var noGrad = Grad.disabled()) {
                Var batched = c.compress(texts, 4);
                assertArrayEquals(new int[] {3, 3, 32}, batched.shape());
                double meanLoss = 0;
                for (int b = 0; b < texts.length; b++) {
                    float[] alone = c.compress(texts[b], 4).value().toFloatArray();
                    float[] row = batched.value().narrow(0, b, 1).contiguous().toFloatArray();
                    for (int i = 0; i < alone.length; i++) assertEquals(alone[i], row[i], 1e-4f, spec.name() + " example " + b + " value " + i);
                    meanLoss += DecoderInput.of(decoder, c.compress(texts[b], 4), new int[] {1, 2}, texts[b], 39).loss(decoder).item() / texts.length;
                }
                float batchLoss = DecoderInput.of(decoder, batched, new int[] {1, 2}, texts, 39).loss(decoder).item();
                assertEquals(meanLoss, batchLoss, 1e-4, spec.name() + " batch loss");
            }
        }
    }

    @Test
    void batchesOfUnequalLengthsAreRefusedByName() {
        Transformer decoder = Transformer.randomInit(TINY, 1);
        Compressor c = new Compressor(CompressorSpec.gmsa(1, 1, LoraSettings.defaults()), TINY, weights(decoder), decoder, 16, 3);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> c.compress(new int[][] {{1, 2, 3}, {1, 2}}, 2));
        assertTrue(e.getMessage().contains("one length"), e.getMessage());
    }
}
