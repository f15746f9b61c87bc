package dev.gmsa.transformer;

import dev.gmsa.tensor.Tensor;

/**
 * Keys and values of every layer for positions already processed, pre-allocated once for
 * [batch, kvHeads, capacity, headDim] so decoding a token allocates no cache memory.
 */
public final class KvCache {
    private final Tensor[] keys;
    private final Tensor[] values;
    private final int capacity;
    private int length;

    public KvCache(ModelConfig config, int batch, int capacity) {
        this.capacity = capacity;
        this.keys = new Tensor[config.numLayers()];
        this.values = new Tensor[config.numLayers()];
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Tensor.zeros(batch, config.numKeyValueHeads(), capacity, config.headDim());
            values[l] = Tensor.zeros(batch, config.numKeyValueHeads(), capacity, config.headDim());
        }
    }

    /** Positions already cached (the position the next token gets). */
    public int length() {
        return length;
    }

    public int capacity() {
        return capacity;
    }

    /** Stores k, v [batch, kvHeads, T, headDim] of one layer at positions [start, start + T). */
    void write(int layer, int start, Tensor k, Tensor v) {
        int t = k.size(2);
        if (start + t > capacity)
            throw new IllegalStateException("KV cache full: positions up to " + (start + t) + " requested, capacity " + capacity);
        keys[layer].narrow(2, start, t).copyFrom(k);
        values[layer].narrow(2, start, t).copyFrom(v);
    }

    /** Cached keys of one layer for positions [0, end): a view, no copy. */
    Tensor keys(int layer, int end) {
        return keys[layer].narrow(2, 0, end);
    }

    Tensor values(int layer, int end) {
        return values[layer].narrow(2, 0, end);
    }

    /** Marks positions [0, newLength) as filled (called once per forward, after every layer wrote). */
    void advanceTo(int newLength) {
        length = newLength;
    }

    /** Forgets everything (the memory is kept for the next sequence). */
    public void reset() {
        length = 0;
    }

    /** Keeps only the first {@code newLength} positions (e.g. to reuse a cached prompt prefix). */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) throw new IllegalArgumentException("cannot truncate a cache of " + length + " to " + newLength);
        length = newLength;
    }
}
