package dev.gmsa.transformer.generate;

import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real {@link Transformer} whose next-token logits depend only on the last token, so a test can choose
 * what it generates: the blocks' output projections are zero (each block adds nothing to the residual),
 * embeddings are one-hot, and lm_head row v scores the tokens whose successor v is. A token with two
 * successors has two equal best logits: sampling then picks between them.
 */
final class SuccessorModel {
    /** Logit margin of a successor over every other token (after RMS norm, x = sqrt(D) * one-hot). */
    static final float SCALE = 30f;

    private SuccessorModel() {}

    /** @param successors successors[u] = the tokens that may follow u (empty: all logits are 0) */
    static Transformer create(int vocab, int[][] successors) {
        int d = vocab; // one-hot embeddings need a dimension per token
        ModelConfig config = ModelConfig.builder().hiddenSize(d).intermediateSize(8).numLayers(1).numHeads(2).numKeyValueHeads(1)
                .headDim(4).vocabSize(vocab).rmsNormEps(1e-6).maxPositionEmbeddings(256).build();
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (String name : Transformer.expectedNames(config)) {
            int[] shape = Transformer.shapeOf(config, name);
            if (name.endsWith("norm.weight")) weights.put(name, Tensor.ones(shape));
            else if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) weights.put(name, Tensor.zeros(shape));
            else weights.put(name, Tensor.randn(name.hashCode(), 0.1f, shape));
        }
        float[] embed = new float[vocab * d];
        for (int u = 0; u < vocab; u++) embed[u * d + u] = 1;
        weights.put("model.embed_tokens.weight", Tensor.of(embed, vocab, d));
        float[] head = new float[vocab * d];
        float perUnit = SCALE / (float) Math.sqrt(d); // the normed one-hot is sqrt(d) in its one place
        for (int u = 0; u < vocab; u++) for (int v : successors[u]) head[v * d + u] = perUnit;
        weights.put("lm_head.weight", Tensor.of(head, vocab, d));
        return Transformer.fromWeights(config, weights);
    }
}
