package dev.gmsa.transformer;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An attention probe reports the probabilities the model really applies: weighting the values with them gives each
 * layer's attention output (grouped-query heads, Qwen3 q/k norms), rows are distributions over past keys only, decoding
 * through the KV cache sees the same rows, and attaching a probe changes no logit.
 */
class AttentionProbeTest {
    // 6 query heads sharing 2 kv heads; LLaMA with head dim 6, Qwen3 with q/k norms and head dim 8 != 36 / 6
    private static final ModelConfig LLAMA = ModelConfig.builder().hiddenSize(36).intermediateSize(40).numLayers(2).numHeads(6)
            .numKeyValueHeads(2).headDim(6).vocabSize(50).maxPositionEmbeddings(64).bosTokenIds(1)
            .eosTokenIds(2).build();
    private static final ModelConfig QWEN3 = ModelConfig.builder().architecture("qwen3").hiddenSize(36).intermediateSize(40).numLayers(2)
            .numHeads(6).numKeyValueHeads(2).headDim(8).vocabSize(50).rmsNormEps(1e-6)
            .ropeTheta(1000000.0).maxPositionEmbeddings(64).tieWordEmbeddings(true).qkNorm(true)
            .eosTokenIds(2).build();
    private static final int[] IDS = {3, 17, 5, 42, 8, 8, 31};

    /** Probabilities per layer of one forward. */
    private static Map<Integer, Tensor> record(Transformer model, AttentionRun run) {
        Map<Integer, Tensor> byLayer = new TreeMap<>();
        model.setAttentionProbe((layer, start, p) -> byLayer.put(layer, p));
        try (var noGrad = Grad.disabled()) {
            run.forward();
        } finally {
            model.setAttentionProbe(null);
        }
        return byLayer;
    }

    private interface AttentionRun {
        void forward();
    }

    /** A random model whose q/k norm weights (when it has them) are not all ones, so skipping them would show. */
    private static Transformer model(ModelConfig config, long seed) {
        Transformer model = Transformer.randomInit(config, seed);
        model.parameters().forEach((name, p) -> {
            if (name.endsWith("q_norm.weight") || name.endsWith("k_norm.weight")) p.value().copyFrom(Tensor.rand(seed + name.length(), 0.5f, 1.5f, p.shape()));
        });
        return model;
    }

    private static Var embedded(Transformer model) {
        return model.embed(Tensor.ofInts(IDS, 1, IDS.length));
    }

    @Test
    void probabilitiesWeightingTheValuesGiveEachLayersAttentionOutput() {
        for (ModelConfig config : List.of(LLAMA, QWEN3)) {
            Transformer model = model(config, 1);
            try (var noGrad = Grad.disabled()) {
                Var h = embedded(model);
                for (int layer = 0; layer < config.numLayers(); layer++) {
                    DecoderBlock block = model.blocks().get(layer);
                    Var normed = RmsNorm.apply(h, block.attentionNorm, (float) config.rmsNormEps());
                    Tensor[] seen = new Tensor[1];
                    block.attention.setProbe((l, start, p) -> seen[0] = p);
                    Tensor real = block.attention.forward(normed, model.rope(), 0, null, layer).value();
                    block.attention.setProbe(null);
                    Tensor fromProbe = block.attention.output.forward(Var.constant(weightedValues(config, block.attention, normed, seen[0]))).value();
                    assertClose(config.architecture() + " layer " + layer, fromProbe, real, 1e-5f);
                    h = block.forward(h, model.rope(), 0, null, layer);
                }
            }
        }
    }

    /** sum_j p[h, i, j] v[h / (H / KV), j] for every head h, merged to [1, T, H * hd]: attention before o_proj, by hand. */
    private static Tensor weightedValues(ModelConfig config, Attention attention, Var normed, Tensor p) {
        int heads = config.numHeads(), hd = config.headDim(), t = normed.size(1);
        float[] v = attention.value.forward(normed).value().contiguous().toFloatArray(); // [T, KV * hd]
        float[] merged = new float[t * heads * hd];
        for (int h = 0; h < heads; h++) {
            int kvHead = h / config.groupSize();
            for (int i = 0; i < t; i++)
                for (int j = 0; j < t; j++)
                    for (int d = 0; d < hd; d++)
                        merged[(i * heads + h) * hd + d] += p.get(h, i, j) * v[(j * config.numKeyValueHeads() + kvHead) * hd + d];
        }
        return Tensor.of(merged, 1, t, heads * hd);
    }

    @Test
    void rowsAreDistributionsOverPastKeysOnly() {
        Transformer model = model(QWEN3, 2);
        Map<Integer, Tensor> probabilities = record(model, () -> model.forward(Tensor.ofInts(IDS, 1, IDS.length), 0, null));
        assertEquals(List.of(0, 1), List.copyOf(probabilities.keySet()));
        for (Tensor p : probabilities.values()) {
            assertArrayEquals(new int[] {QWEN3.numHeads(), IDS.length, IDS.length}, p.shape());
            for (int h = 0; h < p.size(0); h++)
                for (int i = 0; i < p.size(1); i++) {
                    double sum = 0;
                    for (int j = 0; j < p.size(2); j++) {
                        float x = p.get(h, i, j);
                        if (j > i) assertEquals(0f, x, "head " + h + " query " + i + " sees future key " + j);
                        assertTrue(x >= 0 && x <= 1, "p = " + x);
                        sum += x;
                    }
                    assertEquals(1.0, sum, 1e-5, "row sum, head " + h + " query " + i);
                }
        }
    }

    @Test
    void decodingThroughTheCacheSeesTheRowsOfTheFullSequence() {
        Transformer model = model(LLAMA, 3);
        Map<Integer, Tensor> full = record(model, () -> model.forward(Tensor.ofInts(IDS, 1, IDS.length), 0, null));
        KvCache cache = new KvCache(LLAMA, 1, IDS.length);
        int prompt = IDS.length - 1;
        record(model, () -> model.forward(Tensor.ofInts(Arrays.copyOf(IDS, prompt), 1, prompt), 0, cache));
        int[] starts = new int[1];
        Map<Integer, Tensor> step = new TreeMap<>();
        model.setAttentionProbe((layer, start, p) -> {
            starts[0] = start;
            step.put(layer, p);
        });
        try (var noGrad = Grad.disabled()) {
            model.forward(Tensor.ofInts(new int[] {IDS[prompt]}, 1, 1), cache.length(), cache);
        }
        assertEquals(prompt, starts[0]);
        for (int layer : full.keySet()) {
            Tensor lastRow = full.get(layer).narrow(1, prompt, 1); // [H, 1, T]
            assertClose("layer " + layer + " decode step", step.get(layer), lastRow, 1e-5f);
        }
    }

    @Test
    void attachingAProbeChangesNoLogit() {
        Transformer model = model(QWEN3, 4);
        Tensor ids = Tensor.ofInts(IDS, 1, IDS.length);
        float[] before = logits(model, ids);
        Tensor[] watched = new Tensor[1];
        record(model, () -> watched[0] = model.forward(ids, 0, null).value());
        assertArrayEquals(before, watched[0].toFloatArray(), "bit for bit with a probe attached");
        assertArrayEquals(before, logits(model, ids), "bit for bit after detaching it");
    }

    private static float[] logits(Transformer model, Tensor ids) {
        try (var noGrad = Grad.disabled()) {
            return model.forward(ids, 0, null).value().toFloatArray();
        }
    }

    @Test
    void aProbeRefusesATrainingForward() {
        Transformer model = model(LLAMA, 5);
        Tensor[] seen = new Tensor[1];
        model.setAttentionProbe((layer, start, p) -> seen[0] = p);
        var e = assertThrows(IllegalStateException.class, () -> model.forward(Tensor.ofInts(IDS, 1, IDS.length), 0, null));
        assertTrue(e.getMessage().contains("Grad.disabled()"), e.getMessage());
        assertNull(seen[0]);
    }

    private static void assertClose(String what, Tensor got, Tensor want, float tolerance) {
        assertArrayEquals(want.shape(), got.shape(), what + ": shape");
        float[] g = got.contiguous().toFloatArray(), w = want.contiguous().toFloatArray();
        for (int i = 0; i < g.length; i++)
            if (!(Math.abs(g[i] - w[i]) <= tolerance + 1e-4 * Math.abs(w[i])))
                fail(what + ": element " + i + " is " + g[i] + ", expected " + w[i]);
    }
}
