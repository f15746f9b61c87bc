package dev.gmsa.compress.metrics;

import java.util.Arrays;

/**
 * BLEU's sufficient statistics, summed over the segments of a corpus: for each n-gram order the
 * clipped matches and the hypothesis n-gram total, plus the hypothesis length and the length of
 * the closest reference. Corpus BLEU is computed once from the sums, never by averaging segments.
 *
 * @param matches index n-1 holds the clipped n-gram matches of order n
 * @param totals  index n-1 holds the number of hypothesis n-grams of order n
 */
public record BleuStatistics(int hypothesisLength, int referenceLength, int[] matches, int[] totals) {
    public BleuStatistics {
        if (matches.length != totals.length || matches.length == 0) {
            throw new IllegalArgumentException("BLEU statistics need one match and one total count per order, got "
                    + matches.length + " matches and " + totals.length + " totals");
        }
        matches = matches.clone();
        totals = totals.clone();
    }

    /** Statistics of zero segments, the start of a sum. */
    public static BleuStatistics empty(int maxOrder) {
        return new BleuStatistics(0, 0, new int[maxOrder], new int[maxOrder]);
    }

    public int maxOrder() {
        return matches.length;
    }

    @Override
    public int[] matches() {
        return matches.clone();
    }

    @Override
    public int[] totals() {
        return totals.clone();
    }

    public BleuStatistics plus(BleuStatistics other) {
        if (other.maxOrder() != maxOrder()) {
            throw new IllegalArgumentException("cannot add BLEU statistics of orders " + maxOrder() + " and " + other.maxOrder());
        }
        int[] summedMatches = new int[maxOrder()];
        int[] summedTotals = new int[maxOrder()];
        for (int i = 0; i < maxOrder(); i++) {
            summedMatches[i] = matches[i] + other.matches[i];
            summedTotals[i] = totals[i] + other.totals[i];
        }
        return new BleuStatistics(hypothesisLength + other.hypothesisLength, referenceLength + other.referenceLength,
                summedMatches, summedTotals);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuStatistics s && s.hypothesisLength == hypothesisLength
                && s.referenceLength == referenceLength && Arrays.equals(s.matches, matches) && Arrays.equals(s.totals, totals);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * hypothesisLength + referenceLength) + 17 * Arrays.hashCode(matches) + Arrays.hashCode(totals);
    }

    @Override
    public String toString() {
        return "BleuStatistics[hyp=" + hypothesisLength + ", ref=" + referenceLength
                + ", matches=" + Arrays.toString(matches) + ", totals=" + Arrays.toString(totals) + "]";
    }
}
