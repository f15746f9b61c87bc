package dev.gmsa.compress.metrics;

import java.util.Arrays;

/**
 * A BLEU result on the 0..1 scale (sacrebleu prints 100 times {@link #score()}).
 *
 * @param precisions    the (smoothed) n-gram precisions, index n-1 for order n, each in 0..1
 * @param brevityPenalty {@code exp(1 - ref/hyp)} when the hypothesis is shorter, else 1
 */
public record BleuScore(double score, double[] precisions, double brevityPenalty, BleuStatistics statistics) {
    public BleuScore {
        precisions = precisions.clone();
    }

    @Override
    public double[] precisions() {
        return precisions.clone();
    }

    @Override
    public String toString() {
        StringBuilder p = new StringBuilder();
        for (double precision : precisions) p.append(p.isEmpty() ? "" : "/").append(String.format("%.1f", 100 * precision));
        return String.format("BLEU = %.2f %s (BP = %.3f hyp_len = %d ref_len = %d)", 100 * score, p, brevityPenalty,
                statistics.hypothesisLength(), statistics.referenceLength());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BleuScore b && Double.compare(b.score, score) == 0 && Arrays.equals(b.precisions, precisions)
                && Double.compare(b.brevityPenalty, brevityPenalty) == 0 && b.statistics.equals(statistics);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(score) * 31 + statistics.hashCode();
    }
}
