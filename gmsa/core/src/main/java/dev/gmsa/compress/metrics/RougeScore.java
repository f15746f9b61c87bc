package dev.gmsa.compress.metrics;

import java.util.Collection;

/** Precision, recall and their harmonic mean (F1), each in 0..1, as rouge-score's {@code Score}. */
public record RougeScore(double precision, double recall, double f1) {
    /** Score with F1 = 2PR / (P + R), and 0 when both are 0 (rouge-score's {@code scoring.fmeasure}). */
    public static RougeScore of(double precision, double recall) {
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
        return new RougeScore(precision, recall, f1);
    }

    /**
     * Mean of each field over examples, the usual corpus-level ROUGE (rouge-score's
     * BootstrapAggregator reports a bootstrap estimate of this mean as "mid").
     */
    public static RougeScore mean(Collection<RougeScore> scores) {
        if (scores.isEmpty()) throw new IllegalArgumentException("mean of zero ROUGE scores");
        double p = 0, r = 0, f = 0;
        for (RougeScore s : scores) {
            p += s.precision;
            r += s.recall;
            f += s.f1;
        }
        return new RougeScore(p / scores.size(), r / scores.size(), f / scores.size());
    }
}
