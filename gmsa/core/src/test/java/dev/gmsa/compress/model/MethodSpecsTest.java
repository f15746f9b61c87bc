package dev.gmsa.compress.model;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.DecoderBlock;
import dev.gmsa.transformer.Linear;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.gmsa.compress.model.TinyModels.CONFIG;
import static dev.gmsa.compress.model.TinyModels.assertClose;
import static dev.gmsa.compress.model.TinyModels.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method the CLI names builds, makes ceil(L / r) soft tokens, and computes them as the paper says:
 * GMSA = group merging + LSA; TCP-AE = memory tokens read from the encoder's last layer + MLP; ICAE = memory
 * tokens, their last hidden states straight in; the ablations swap one part (no merging: appended tokens + LSA;
 * no LSA: merging + MLP; random LSA: merging + randomly initialised blocks). Each output is recomputed by hand
 * from a separate model over the same weights and the compressor's own trained parameters.
 */
class MethodSpecsTest {
    private static final int ENCODER_LAYERS = 2, LSA_LAYERS = 2, MAX_SOFT = 16;
    private static final LoraSettings LORA = new LoraSettings(2, 4f, 0f, List.of("q_proj", "k_proj", "v_proj", "o_proj"));
    /** (context length, rate) pairs, including a shorter last group and a rate above the length. */
    private static final int[][] CASES = {{9, 4}, {16, 4}, {17, 8}, {5, 8}, {6, 1}};

    private record Expected(SummaryKind summary, AlignerKind aligner) {}

    private static final Map<String, Expected> PAPER = Map.of(
            "gmsa", new Expected(SummaryKind.GROUP_MERGING, AlignerKind.LSA),
            "tcp-ae", new Expected(SummaryKind.MEMORY_TOKENS, AlignerKind.MLP),
            "icae", new Expected(SummaryKind.MEMORY_TOKENS, AlignerKind.NONE),
            "gmsa-no-merging", new Expected(SummaryKind.MEMORY_TOKENS, AlignerKind.LSA),
            "gmsa-no-lsa", new Expected(SummaryKind.GROUP_MERGING, AlignerKind.MLP),
            "gmsa-random-lsa", new Expected(SummaryKind.GROUP_MERGING, AlignerKind.LSA_RANDOM));

    private static int[] ids(int length) {
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) ids[i] = (i * 7 + 3) % 38 + 1;
        return ids;
    }

    @Test
    void everyMethodHasThePapersSummaryAndAligner() {
        assertEquals(PAPER.keySet(), new java.util.HashSet<>(Methods.NAMES), "the CLI's methods");
        for (String name : Methods.NAMES) {
            CompressorSpec spec = Methods.spec(name, ENCODER_LAYERS, LSA_LAYERS, LORA);
            assertEquals(name, spec.name());
            assertEquals(PAPER.get(name), new Expected(spec.summary(), spec.aligner()), name);
            assertEquals(ENCODER_LAYERS, spec.encoderLayers(), name);
            assertEquals(LORA, spec.lora(), name);
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Methods.spec("gmsa-typo", 1, 1, LORA));
        assertTrue(e.getMessage().contains("gmsa-typo") && e.getMessage().contains("tcp-ae"), e.getMessage());
    }

    @Test
    void everyMethodTrainsTheParametersOfItsParts() {
        Transformer decoder = TinyModels.decoder(31);
        for (String name : Methods.NAMES) {
            CompressorSpec spec = Methods.spec(name, ENCODER_LAYERS, LSA_LAYERS, LORA);
            var keys = new Compressor(spec, CONFIG, TinyModels.tensorsOf(decoder), decoder, MAX_SOFT, 5).trainableParameters().keySet();
            boolean memory = spec.summary() == SummaryKind.MEMORY_TOKENS, mlp = spec.aligner() == AlignerKind.MLP;
            boolean lsa = spec.aligner() == AlignerKind.LSA || spec.aligner() == AlignerKind.LSA_RANDOM;
            assertEquals(memory, keys.contains("memory_tokens"), name + " memory tokens: " + keys);
            assertEquals(mlp, keys.containsAll(List.of("mlp.0.weight", "mlp.0.bias", "mlp.2.weight", "mlp.2.bias")), name + " MLP: " + keys);
            assertEquals(mlp, keys.stream().anyMatch(k -> k.startsWith("mlp.")), name + " MLP: " + keys);
            assertEquals(lsa ? 9 * LSA_LAYERS : 0, keys.stream().filter(k -> k.startsWith("lsa.")).count(), name + " LSA blocks: " + keys);
            assertEquals(2 * 4 * ENCODER_LAYERS, keys.stream().filter(k -> k.contains(".lora_")).count(), name + " LoRA: " + keys);
            assertTrue(keys.stream().noneMatch(k -> k.startsWith("projection.")), name + ": no projection when widths match");
        }
    }

    @Test
    void everyMethodMakesCeilLOverRSoftTokensComputedAsThePaperSays() {
        Transformer decoder = TinyModels.decoder(32);
        Map<String, Tensor> weights = TinyModels.tensorsOf(decoder);
        Transformer reference = Transformer.fromWeights(CONFIG, weights); // the encoder, rebuilt without adapters
        try (var noGrad = Grad.disabled()) {
            for (String name : Methods.NAMES) {
                Compressor c = new Compressor(Methods.spec(name, ENCODER_LAYERS, LSA_LAYERS, LORA), CONFIG, weights, decoder, MAX_SOFT, 6);
                perturbMemoryTokens(c);
                for (int[] lr : CASES) {
                    int length = lr[0], rate = lr[1], groups = (length + rate - 1) / rate;
                    assertEquals(groups, Compressor.softTokenCount(length, rate));
                    int[] ids = ids(length);
                    Var soft = c.compress(ids, rate);
                    String what = name + " L=" + length + " r=" + rate;
                    assertArrayEquals(new int[] {1, groups, CONFIG.hiddenSize()}, soft.shape(), what);
                    Var expected = align(c, decoder, summary(c, reference, ids, rate));
                    assertClose(values(expected), values(soft), 2e-4f, what);
                }
            }
        }
    }

    /** At initialisation GMSA's soft tokens are the decoder's own first k blocks applied to the merged states. */
    @Test
    void freshLsaComputesWhatTheDecodersFirstBlocksCompute() {
        Transformer decoder = TinyModels.decoder(33);
        Map<String, Tensor> weights = TinyModels.tensorsOf(decoder);
        Transformer reference = Transformer.fromWeights(CONFIG, weights);
        try (var noGrad = Grad.disabled()) {
            Compressor c = new Compressor(Methods.spec("gmsa", ENCODER_LAYERS, LSA_LAYERS, LORA), CONFIG, weights, decoder, MAX_SOFT, 6);
            int[] ids = ids(11);
            Var merged = summary(c, reference, ids, 4);
            assertClose(values(decoder.runBlocks(merged, 0, LSA_LAYERS, 0, null)), values(c.compress(ids, 4)), 2e-4f, "LSA = decoder blocks [0, k)");
        }
    }

    @Test
    void memoryTokenMethodsRefuseMoreSlotsThanTrainedWhileMergingHasNoLimit() {
        Transformer decoder = TinyModels.decoder(34);
        try (var noGrad = Grad.disabled()) {
            for (String name : Methods.NAMES) {
                CompressorSpec spec = Methods.spec(name, 1, 1, LORA);
                Compressor c = new Compressor(spec, CONFIG, TinyModels.tensorsOf(decoder), decoder, 4, 6);
                int[] ids = ids(20); // 5 soft tokens at rate 4, one more than the 4 slots
                if (spec.summary() == SummaryKind.MEMORY_TOKENS) {
                    var e = assertThrows(IllegalArgumentException.class, () -> c.compress(ids, 4), name);
                    assertTrue(e.getMessage().contains("5 memory tokens needed, only 4"), e.getMessage());
                } else {
                    assertEquals(5, c.compress(ids, 4).size(1), name);
                }
            }
        }
    }

    /** Memory tokens start at N(0, 0.02); larger ones make sure the slots really enter the encoder. */
    private static void perturbMemoryTokens(Compressor c) {
        Var memory = c.trainableParameters().get("memory_tokens");
        if (memory != null) memory.value().copyFrom(Tensor.randn(77, 1f, memory.shape()));
    }

    /** Summary vectors by hand: the encoder's final-normed states averaged in groups, or the appended slots' states. */
    private static Var summary(Compressor c, Transformer reference, int[] ids, int rate) {
        int length = ids.length, groups = (length + rate - 1) / rate, d = CONFIG.hiddenSize();
        Var embedded = reference.embed(Tensor.ofInts(ids, 1, length));
        if (c.spec().summary() == SummaryKind.MEMORY_TOKENS) {
            Var slots = c.trainableParameters().get("memory_tokens").narrow(0, 0, groups).unsqueeze(0);
            Var states = reference.normalize(reference.runBlocks(Var.concat(1, embedded, slots), 0, ENCODER_LAYERS, 0, null));
            return states.narrow(1, length, groups);
        }
        float[] states = values(reference.normalize(reference.runBlocks(embedded, 0, ENCODER_LAYERS, 0, null)));
        float[] means = new float[groups * d];
        for (int g = 0; g < groups; g++) {
            int from = g * rate, to = Math.min(length, from + rate);
            for (int t = from; t < to; t++) for (int j = 0; j < d; j++) means[g * d + j] += states[t * d + j] / (to - from);
        }
        return Var.constant(Tensor.of(means, 1, groups, d));
    }

    /** The aligner by hand, from the compressor's parameters by name. */
    private static Var align(Compressor c, Transformer decoder, Var summary) {
        Map<String, Var> p = c.trainableParameters();
        return switch (c.spec().aligner()) {
            case NONE -> summary;
            case MLP -> new Linear(p.get("mlp.2.weight"), p.get("mlp.2.bias"))
                    .forward(new Linear(p.get("mlp.0.weight"), p.get("mlp.0.bias")).forward(summary).gelu());
            case LSA, LSA_RANDOM -> {
                Var h = summary;
                for (int layer = 0; layer < LSA_LAYERS; layer++)
                    h = DecoderBlock.build(CONFIG, layer, (name, shape) -> p.get("lsa." + name)).forward(h, decoder.rope(), 0, null, layer);
                yield h;
            }
        };
    }
}
