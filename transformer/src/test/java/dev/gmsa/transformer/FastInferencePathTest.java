package dev.gmsa.transformer;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.fail;

/**
 * The inference shortcuts give what the plain full-sequence forward gives: last-position logits only, and
 * token-by-token decoding through the KV cache (fused attention with a causal offset, grouped-query heads).
 */
class FastInferencePathTest {
    // 3 layers, 6 query heads sharing 2 kv heads, head dim 6, vocab 50
    private static final ModelConfig CONFIG = ModelConfig.builder().hiddenSize(36).intermediateSize(40).numLayers(3).numHeads(6)
            .numKeyValueHeads(2).headDim(6).vocabSize(50).maxPositionEmbeddings(64).bosTokenIds(1)
            .eosTokenIds(2).build();
    private static final int[] IDS = {3, 17, 5, 42, 8, 8, 31};

    @Test
    void nextTokenLogitsAreTheLastRowOfTheFullForward() {
        Transformer model = Transformer.randomInit(CONFIG, 1);
        try (var noGrad = Grad.disabled()) {
            Tensor full = model.forward(Tensor.ofInts(IDS, 1, IDS.length), 0, null).value();  // [1, T, V]
            Tensor last = model.nextTokenLogits(model.embed(Tensor.ofInts(IDS, 1, IDS.length)), 0, null).value(); // [1, V]
            assertClose("last row", last.select(0, 0), full.select(0, 0).select(0, IDS.length - 1));
        }
    }

    @Test
    void decodingTokenByTokenThroughTheCacheMatchesTheFullForward() {
        Transformer model = Transformer.randomInit(CONFIG, 2);
        try (var noGrad = Grad.disabled()) {
            Tensor full = model.forward(Tensor.ofInts(IDS, 1, IDS.length), 0, null).value();
            KvCache cache = new KvCache(CONFIG, 1, IDS.length);
            int prompt = 3; // a batched prefill of 3 tokens, then one token at a time
            int[] head = java.util.Arrays.copyOf(IDS, prompt);
            Var logits = model.nextTokenLogits(model.embed(Tensor.ofInts(head, 1, prompt)), 0, cache);
            assertClose("prefill", logits.value().select(0, 0), full.select(0, 0).select(0, prompt - 1));
            for (int t = prompt; t < IDS.length; t++) {
                logits = model.nextTokenLogits(model.embed(Tensor.ofInts(new int[] {IDS[t]}, 1, 1)), cache.length(), cache);
                assertClose("decode position " + t, logits.value().select(0, 0), full.select(0, 0).select(0, t));
            }
        }
    }

    private static void assertClose(String what, Tensor got, Tensor want) {
        float[] g = got.toFloatArray(), w = want.toFloatArray();
        for (int i = 0; i < g.length; i++)
            if (!(Math.abs(g[i] - w[i]) <= 1e-5 + 1e-4 * Math.abs(w[i])))
                fail(what + ": logit " + i + " is " + g[i] + ", full forward gives " + w[i]);
    }
}
