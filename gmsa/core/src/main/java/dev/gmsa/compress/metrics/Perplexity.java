package dev.gmsa.compress.metrics;

/**
 * Perplexity = exp(mean per-token cross-entropy in nats), the inverse geometric mean of the
 * probabilities the model gave the actual tokens. A uniform guess over V tokens has perplexity V.
 */
public final class Perplexity {
    private Perplexity() {}

    /** From the mean negative log-likelihood per token, in nats (natural log). */
    public static double fromMeanCrossEntropy(double meanNats) {
        if (!Double.isFinite(meanNats) || meanNats < 0) {
            throw new IllegalArgumentException("mean cross-entropy must be finite and >= 0 nats, got " + meanNats);
        }
        return Math.exp(meanNats);
    }

    /** From the summed negative log-likelihood (nats) of {@code tokens} tokens. */
    public static double fromTotalCrossEntropy(double totalNats, long tokens) {
        if (tokens <= 0) throw new IllegalArgumentException("perplexity needs at least one token, got " + tokens);
        return fromMeanCrossEntropy(totalNats / tokens);
    }
}
