package dev.gmsa.transformer;

import dev.gmsa.tensor.Tensor;

/**
 * Sees the attention probabilities of every layer a forward pass runs, for batch item 0: what attention maps and
 * anchor-token diagnostics read. Attach with {@link Transformer#setAttentionProbe}; inference only (the forward must
 * run inside {@code Grad.disabled()}). A model without a probe runs exactly as before.
 */
@FunctionalInterface
public interface AttentionProbe {
    /**
     * @param layer         the block's index in its model
     * @param start         position of the first query (0 without a KV cache)
     * @param probabilities [heads, queries, keys], softmax over keys, zero on future keys
     */
    void observe(int layer, int start, Tensor probabilities);
}
