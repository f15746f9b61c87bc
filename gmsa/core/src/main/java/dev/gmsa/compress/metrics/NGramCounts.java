package dev.gmsa.compress.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Counts of the contiguous n-grams of a token sequence, keyed by the n-gram's tokens. */
final class NGramCounts {
    private NGramCounts() {}

    /** Counts of every n-gram of order {@code n} in {@code tokens}; empty when there are fewer than n tokens. */
    static Map<List<String>, Integer> of(List<String> tokens, int n) {
        Map<List<String>, Integer> counts = new HashMap<>();
        for (int i = 0; i + n <= tokens.size(); i++) {
            counts.merge(List.copyOf(tokens.subList(i, i + n)), 1, Integer::sum);
        }
        return counts;
    }

    /** Number of n-grams of order {@code n} in a sequence of {@code length} tokens. */
    static int total(int length, int n) {
        return Math.max(0, length - n + 1);
    }

    /** Clipped overlap: each n-gram counts at most as often as it occurs in {@code limit}. */
    static int clippedOverlap(Map<List<String>, Integer> counts, Map<List<String>, Integer> limit) {
        int overlap = 0;
        for (var entry : counts.entrySet()) {
            overlap += Math.min(entry.getValue(), limit.getOrDefault(entry.getKey(), 0));
        }
        return overlap;
    }
}
