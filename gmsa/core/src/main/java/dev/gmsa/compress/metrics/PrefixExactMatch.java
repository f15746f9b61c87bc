package dev.gmsa.compress.metrics;

import java.util.List;

/**
 * Prefix Exact Match of the GMSA paper (footnote 2): "the ratio of the correctly matched prefix
 * length to the total length. For example, in a 512-token sequence, if the first 128 tokens are an
 * exact match but the 129th token is not, the Prefix Exact Match score is 128/512 = 0.25."
 *
 * <p>So: the number of leading tokens of the reconstruction that equal the original's tokens
 * position by position, up to the first mismatch, divided by the original's length. Tokens the
 * reconstruction adds after reproducing the whole original do not lower the score (the prefix is
 * at most the original's length); a reconstruction that stops early is charged for the missing
 * tokens. An empty original is reproduced vacuously: score 1.
 *
 * <p>The paper counts model tokens: use {@link #score(int[], int[])} with token ids. The string
 * overload splits on whitespace (as Python's {@code str.split()}).
 */
public final class PrefixExactMatch {
    private PrefixExactMatch() {}

    /** Score on token ids, e.g. the model tokenizer's ids of reconstruction and original. */
    public static double score(int[] reconstruction, int[] original) {
        if (original.length == 0) return 1.0;
        return (double) matchedPrefixLength(reconstruction, original) / original.length;
    }

    public static double score(List<?> reconstruction, List<?> original) {
        if (original.isEmpty()) return 1.0;
        return (double) matchedPrefixLength(reconstruction, original) / original.size();
    }

    /** Score on whitespace-separated words. */
    public static double score(String reconstruction, String original) {
        return score(PythonWhitespace.split(reconstruction), PythonWhitespace.split(original));
    }

    public static int matchedPrefixLength(int[] reconstruction, int[] original) {
        int limit = Math.min(reconstruction.length, original.length);
        int matched = 0;
        while (matched < limit && reconstruction[matched] == original[matched]) matched++;
        return matched;
    }

    public static int matchedPrefixLength(List<?> reconstruction, List<?> original) {
        int limit = Math.min(reconstruction.size(), original.size());
        int matched = 0;
        while (matched < limit && reconstruction.get(matched).equals(original.get(matched))) matched++;
        return matched;
    }
}
