package dev.gmsa.transformer.tokenizer;

/**
 * BPE merges as an open-addressing hash map: (left id, right id) to (rank, merged id). A primitive map,
 * because a 280k-merge vocabulary is probed several times per input character.
 */
final class MergeTable {
    private static final long EMPTY = -1L;
    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    MergeTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        java.util.Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    /** Adds a merge unless the pair is already present (the first, lowest rank wins). */
    void put(int left, int right, int rank, int mergedId) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY) {
            if (keys[i] == k) return;
            i = (i + 1) & mask;
        }
        if (++size * 2 > keys.length) throw new IllegalStateException("MergeTable over capacity");
        keys[i] = k;
        values[i] = ((long) rank << 32) | (mergedId & 0xffffffffL);
    }

    /** rank << 32 | merged id, or -1 when the pair does not merge. */
    long get(int left, int right) {
        long k = key(left, right);
        int i = slot(k);
        while (keys[i] != EMPTY) {
            if (keys[i] == k) return values[i];
            i = (i + 1) & mask;
        }
        return -1;
    }
}
