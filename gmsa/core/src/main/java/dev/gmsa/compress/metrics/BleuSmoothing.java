package dev.gmsa.compress.metrics;

/**
 * Smoothing of n-gram precisions with no matches, as in sacrebleu's {@code BLEU.compute_bleu}
 * (methods 1-3 of Chen and Cherry, "A Systematic Comparison of Smoothing Techniques for
 * Sentence-Level BLEU", WMT 2014).
 */
public enum BleuSmoothing {
    /** No smoothing: any order with zero matches makes BLEU 0 (NLTK's default; sacrebleu {@code 'none'}). */
    NONE(Double.NaN),
    /** A zero match count becomes {@code value} (default 0.1); same as NLTK's {@code SmoothingFunction().method1}. */
    FLOOR(0.1),
    /** Add {@code value} (default 1) to matches and totals of orders 2 and up (Lin and Och 2004). */
    ADD_K(1),
    /** NIST smoothing: the k-th order with zero matches gets precision {@code 1 / (2^k * total)}; sacrebleu's default. */
    EXP(Double.NaN);

    private final double defaultValue;

    BleuSmoothing(double defaultValue) {
        this.defaultValue = defaultValue;
    }

    /** The parameter sacrebleu uses when none is given; NaN for methods without a parameter. */
    public double defaultValue() {
        return defaultValue;
    }
}
