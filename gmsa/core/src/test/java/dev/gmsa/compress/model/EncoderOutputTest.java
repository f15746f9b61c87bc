package dev.gmsa.compress.model;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.gmsa.compress.model.TinyModels.CONFIG;
import static dev.gmsa.compress.model.TinyModels.assertClose;
import static dev.gmsa.compress.model.TinyModels.assertFarApart;
import static dev.gmsa.compress.model.TinyModels.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The encoder's output is the hidden state after the first N_enc blocks followed by the model's final RMSNorm
 * (Hugging Face's hidden_states[-1] of the truncated model), and group merging averages it in groups of r. A
 * probe spec with no aligner and rate 1 exposes the encoder's output as the compressor's own.
 */
class EncoderOutputTest {
    private static final int[] IDS = {3, 14, 15, 9, 2, 6, 5, 35};

    private static CompressorSpec probe(int encoderLayers, LoraSettings lora) {
        return new CompressorSpec("encoder-probe", SummaryKind.GROUP_MERGING, AlignerKind.NONE, encoderLayers, 0, lora);
    }

    /** Blocks [0, layers) of a separate model over the same weights, then RMSNorm with model.norm.weight in plain floats. */
    private static float[] byHand(Map<String, Tensor> weights, int[] ids, int layers, boolean finalNorm) {
        Transformer reference = Transformer.fromWeights(CONFIG, weights);
        Var h = reference.embed(Tensor.ofInts(ids, 1, ids.length));
        for (int i = 0; i < layers; i++) h = reference.blocks().get(i).forward(h, reference.rope(), 0, null, i);
        float[] x = values(h);
        if (!finalNorm) return x;
        float[] gamma = weights.get("model.norm.weight").toFloatArray();
        int d = CONFIG.hiddenSize();
        float[] out = new float[x.length];
        for (int t = 0; t < x.length / d; t++) {
            double meanSquare = 0;
            for (int j = 0; j < d; j++) meanSquare += (double) x[t * d + j] * x[t * d + j] / d;
            double inverse = 1 / Math.sqrt(meanSquare + CONFIG.rmsNormEps());
            for (int j = 0; j < d; j++) out[t * d + j] = (float) (x[t * d + j] * inverse * gamma[j]);
        }
        return out;
    }

    @Test
    void encoderOutputIsTheFirstNEncBlocksFollowedByTheFinalNorm() {
        Transformer decoder = TinyModels.decoder(11);
        Map<String, Tensor> weights = TinyModels.tensorsOf(decoder);
        try (var noGrad = Grad.disabled()) {
            for (int layers = 1; layers <= 2; layers++) {
                Compressor c = new Compressor(probe(layers, null), CONFIG, weights, decoder, 16, 1);
                Var out = c.compress(IDS, 1);
                assertArrayEquals(new int[] {1, IDS.length, CONFIG.hiddenSize()}, out.shape());
                float[] expected = byHand(weights, IDS, layers, true);
                assertClose(expected, values(out), 1e-4f, layers + " encoder layers");
                // the comparison can tell a wrong depth or a missing norm apart
                assertFarApart(byHand(weights, IDS, layers + 1, true), expected, 0.1, "one layer more");
                assertFarApart(byHand(weights, IDS, layers, false), expected, 0.1, "without the final norm");
            }
        }
    }

    @Test
    void groupMergingAveragesGroupsOfRAndTheShorterLastGroupOverItsRealLength() {
        Transformer decoder = TinyModels.decoder(12);
        Map<String, Tensor> weights = TinyModels.tensorsOf(decoder);
        int d = CONFIG.hiddenSize(), rate = 3;
        try (var noGrad = Grad.disabled()) {
            Compressor c = new Compressor(probe(2, null), CONFIG, weights, decoder, 16, 1);
            float[] states = byHand(weights, IDS, 2, true); // 8 positions: groups [0,3), [3,6), [6,8)
            Var merged = c.compress(IDS, rate);
            assertArrayEquals(new int[] {1, 3, d}, merged.shape());
            float[] expected = new float[3 * d];
            for (int g = 0; g < 3; g++) {
                int from = g * rate, to = Math.min(IDS.length, from + rate);
                for (int j = 0; j < d; j++) {
                    double sum = 0;
                    for (int t = from; t < to; t++) sum += states[t * d + j];
                    expected[g * d + j] = (float) (sum / (to - from));
                }
            }
            assertClose(expected, values(merged), 1e-4f, "group means");
        }
    }

    /** LoRA sits on the targeted projections of the encoder's layers only, with scale alpha / rank. */
    @Test
    void loraAdaptsTheTargetedProjectionsOfTheEncoderLayersOnly() {
        Transformer decoder = TinyModels.decoder(13);
        Map<String, Tensor> weights = TinyModels.tensorsOf(decoder);
        LoraSettings lora = new LoraSettings(2, 8f, 0f, List.of("q_proj", "v_proj", "down_proj"));
        try (var noGrad = Grad.disabled()) {
            Compressor c = new Compressor(probe(2, lora), CONFIG, weights, decoder, 16, 3);
            Map<String, Var> trainable = c.trainableParameters();
            assertEquals(2 * 3 * 2, trainable.size(), "A and B for 3 targets in each of the 2 encoder layers: " + trainable.keySet());
            assertTrue(trainable.keySet().stream().allMatch(n -> n.startsWith("encoder.model.layers.0.") || n.startsWith("encoder.model.layers.1.")),
                    "no adapter beyond the encoder's layers: " + trainable.keySet());
            float[] plain = byHand(weights, IDS, 2, true);
            assertClose(plain, values(c.compress(IDS, 1)), 1e-4f, "a fresh adapter (B = 0) changes nothing");

            long seed = 100;
            for (Var v : trainable.values()) if (v.name().endsWith("lora_B.weight")) v.value().copyFrom(Tensor.randn(seed++, 0.5f, v.shape()));
            Map<String, Tensor> merged = new LinkedHashMap<>(weights);
            for (int layer = 0; layer < 2; layer++)
                for (String proj : List.of("self_attn.q_proj", "self_attn.v_proj", "mlp.down_proj")) {
                    String base = "model.layers." + layer + "." + proj;
                    Tensor a = trainable.get("encoder." + base + ".lora_A.weight").value();
                    Tensor b = trainable.get("encoder." + base + ".lora_B.weight").value();
                    merged.put(base + ".weight", weights.get(base + ".weight").add(b.matmul(a).mul(8f / 2)));
                }
            float[] adapted = values(c.compress(IDS, 1));
            assertClose(byHand(merged, IDS, 2, true), adapted, 1e-3f, "W + (alpha / rank) B A");
            assertFarApart(plain, adapted, 0.05, "the adapters are on the encoder's path");
        }
    }
}
