package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PerplexityTest {
    @Test
    void uniformGuessOverVTokensHasPerplexityV() {
        // cross-entropy of a uniform distribution over 50257 tokens is ln(50257) nats
        assertEquals(50257, Perplexity.fromMeanCrossEntropy(Math.log(50257)), 1e-6);
        assertEquals(1.0, Perplexity.fromMeanCrossEntropy(0.0));
    }

    @Test
    void totalIsDividedByTokenCount() {
        assertEquals(Math.exp(2.5), Perplexity.fromTotalCrossEntropy(25.0, 10), 1e-12);
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> Perplexity.fromMeanCrossEntropy(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Perplexity.fromMeanCrossEntropy(-0.1));
        assertThrows(IllegalArgumentException.class, () -> Perplexity.fromMeanCrossEntropy(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> Perplexity.fromTotalCrossEntropy(1.0, 0));
    }
}
