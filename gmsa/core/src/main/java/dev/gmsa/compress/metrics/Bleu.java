package dev.gmsa.compress.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * BLEU (Papineni et al. 2002) on strings: clipped n-gram precisions up to {@code maxOrder}, their
 * geometric mean, times a brevity penalty against the closest reference length.
 *
 * <p>This follows sacrebleu's {@code BLEU} (sacrebleu 2.x, {@code metrics/bleu.py}) step by step,
 * so a score here equals {@code BLEU(tokenize=..., smooth_method=..., effective_order=...)}'s
 * score divided by 100. Multiple references per hypothesis are supported: n-gram counts are
 * clipped by their maximum count in any one reference, and the reference length used for the
 * brevity penalty is the one closest to the hypothesis length (the shorter on a tie).
 *
 * <p>Defaults:
 * <ul>
 *   <li>{@link #corpusDefaults()}: 13a tokenizer, case-sensitive, 4-grams, <b>no smoothing</b>, no
 *       effective order. Equal to NLTK's {@code corpus_bleu} with default arguments on the same
 *       tokens whenever every hypothesis has at least 4 tokens (NLTK adds a denominator of 1 for
 *       shorter hypotheses, sacrebleu does not). sacrebleu's own default is {@code 'exp'}
 *       smoothing, which only differs when some order has no match at all.</li>
 *   <li>{@link #sentenceDefaults()}: as sacrebleu's {@code sentence_bleu}: {@code 'exp'}
 *       smoothing and effective order.</li>
 * </ul>
 */
public record Bleu(BleuTokenizer tokenizer, boolean lowercase, int maxOrder, BleuSmoothing smoothing,
                   double smoothingValue, boolean effectiveOrder) {
    public static final int DEFAULT_MAX_ORDER = 4;

    public Bleu {
        if (maxOrder < 1) throw new IllegalArgumentException("BLEU max n-gram order must be >= 1, got " + maxOrder);
        if ((smoothing == BleuSmoothing.FLOOR || smoothing == BleuSmoothing.ADD_K) && !(smoothingValue >= 0)) {
            throw new IllegalArgumentException("BLEU " + smoothing + " smoothing needs a value >= 0, got " + smoothingValue);
        }
    }

    /** Corpus BLEU: 13a tokens, 4-grams, no smoothing, all orders always counted. */
    public static Bleu corpusDefaults() {
        return new Bleu(BleuTokenizer.MTEVAL_13A, false, DEFAULT_MAX_ORDER, BleuSmoothing.NONE, Double.NaN, false);
    }

    /** Sentence BLEU as sacrebleu's {@code sentence_bleu}: 13a tokens, 4-grams, exp smoothing, effective order. */
    public static Bleu sentenceDefaults() {
        return new Bleu(BleuTokenizer.MTEVAL_13A, false, DEFAULT_MAX_ORDER, BleuSmoothing.EXP, Double.NaN, true);
    }

    public Bleu withTokenizer(BleuTokenizer newTokenizer) {
        return new Bleu(newTokenizer, lowercase, maxOrder, smoothing, smoothingValue, effectiveOrder);
    }

    public Bleu withLowercase(boolean newLowercase) {
        return new Bleu(tokenizer, newLowercase, maxOrder, smoothing, smoothingValue, effectiveOrder);
    }

    public Bleu withMaxOrder(int newMaxOrder) {
        return new Bleu(tokenizer, lowercase, newMaxOrder, smoothing, smoothingValue, effectiveOrder);
    }

    /** Smoothing with sacrebleu's default parameter for the method (0.1 for floor, 1 for add-k). */
    public Bleu withSmoothing(BleuSmoothing method) {
        return withSmoothing(method, method.defaultValue());
    }

    public Bleu withSmoothing(BleuSmoothing method, double value) {
        return new Bleu(tokenizer, lowercase, maxOrder, method, value, effectiveOrder);
    }

    /** Effective order: leave out orders the hypothesis is too short to have any n-gram of. */
    public Bleu withEffectiveOrder(boolean newEffectiveOrder) {
        return new Bleu(tokenizer, lowercase, maxOrder, smoothing, smoothingValue, newEffectiveOrder);
    }

    /**
     * Corpus BLEU. {@code references.get(i)} holds the references of {@code hypotheses.get(i)}
     * (NLTK's layout; sacrebleu's is transposed: one list per reference "stream").
     */
    public BleuScore corpusScore(List<String> hypotheses, List<? extends List<String>> references) {
        if (hypotheses.size() != references.size()) {
            throw new IllegalArgumentException("BLEU needs one reference list per hypothesis: " + hypotheses.size()
                    + " hypotheses, " + references.size() + " reference lists");
        }
        BleuStatistics sum = BleuStatistics.empty(maxOrder);
        for (int i = 0; i < hypotheses.size(); i++) sum = sum.plus(statistics(hypotheses.get(i), references.get(i)));
        return score(sum);
    }

    /** Corpus BLEU with exactly one reference per hypothesis. */
    public BleuScore corpusScoreSingleReference(List<String> hypotheses, List<String> references) {
        return corpusScore(hypotheses, references.stream().map(List::of).toList());
    }

    /** BLEU of one hypothesis against its references, with this configuration's smoothing. */
    public BleuScore sentenceScore(String hypothesis, List<String> references) {
        return score(statistics(hypothesis, references));
    }

    public BleuScore sentenceScore(String hypothesis, String reference) {
        return sentenceScore(hypothesis, List.of(reference));
    }

    /** Match statistics of one segment against its references. */
    public BleuStatistics statistics(String hypothesis, List<String> references) {
        if (references.isEmpty()) throw new IllegalArgumentException("BLEU needs at least one reference per hypothesis");
        List<String> hypothesisTokens = tokens(hypothesis);
        List<Integer> referenceLengths = new ArrayList<>();
        Map<List<String>, Integer> maxReferenceCounts = new HashMap<>();
        for (String reference : references) {
            List<String> referenceTokens = tokens(reference);
            referenceLengths.add(referenceTokens.size());
            for (int n = 1; n <= maxOrder; n++) {
                NGramCounts.of(referenceTokens, n).forEach((gram, count) -> maxReferenceCounts.merge(gram, count, Math::max));
            }
        }
        int[] matches = new int[maxOrder];
        int[] totals = new int[maxOrder];
        for (int n = 1; n <= maxOrder; n++) {
            matches[n - 1] = NGramCounts.clippedOverlap(NGramCounts.of(hypothesisTokens, n), maxReferenceCounts);
            totals[n - 1] = NGramCounts.total(hypothesisTokens.size(), n);
        }
        int closest = closestReferenceLength(hypothesisTokens.size(), referenceLengths);
        return new BleuStatistics(hypothesisTokens.size(), closest, matches, totals);
    }

    /** BLEU from (summed) statistics: sacrebleu's {@code compute_bleu}, on the 0..1 scale. */
    public BleuScore score(BleuStatistics stats) {
        if (stats.maxOrder() != maxOrder) {
            throw new IllegalArgumentException("statistics of order " + stats.maxOrder() + " given to BLEU of order " + maxOrder);
        }
        int hyp = stats.hypothesisLength(), ref = stats.referenceLength();
        double brevityPenalty = hyp >= ref ? 1.0 : hyp > 0 ? Math.exp(1.0 - (double) ref / hyp) : 0.0;
        double[] precisions = new double[maxOrder];
        int[] matches = stats.matches(), totals = stats.totals();
        boolean anyMatch = false;
        for (int m : matches) anyMatch |= m > 0;
        if (!anyMatch) return new BleuScore(0.0, precisions, brevityPenalty, stats);

        double nistDivisor = 1.0;
        int usedOrders = maxOrder;
        for (int n = 1; n <= maxOrder; n++) {
            double matched = matches[n - 1], total = totals[n - 1];
            if (smoothing == BleuSmoothing.ADD_K && n > 1) {
                matched += smoothingValue;
                total += smoothingValue;
            }
            if (total == 0) break; // hypothesis too short for this order: precisions from here stay 0
            if (effectiveOrder) usedOrders = n;
            if (matched > 0) {
                precisions[n - 1] = matched / total;
            } else if (smoothing == BleuSmoothing.EXP) {
                nistDivisor *= 2;
                precisions[n - 1] = 1.0 / (nistDivisor * total);
            } else if (smoothing == BleuSmoothing.FLOOR) {
                precisions[n - 1] = smoothingValue / total;
            }
        }
        return new BleuScore(brevityPenalty * geometricMean(precisions, usedOrders), precisions, brevityPenalty, stats);
    }

    private List<String> tokens(String text) {
        return tokenizer.tokenize(lowercase ? text.toLowerCase(Locale.ROOT) : text);
    }

    /** Geometric mean of the first {@code orders} precisions; 0 if any of them is 0. */
    private static double geometricMean(double[] precisions, int orders) {
        double logSum = 0;
        for (int i = 0; i < orders; i++) {
            if (precisions[i] <= 0) return 0.0;
            logSum += Math.log(precisions[i]);
        }
        return Math.exp(logSum / orders);
    }

    /** The reference length closest to the hypothesis length, the shorter one on a tie. */
    static int closestReferenceLength(int hypothesisLength, List<Integer> referenceLengths) {
        int best = referenceLengths.getFirst();
        for (int length : referenceLengths) {
            int diff = Math.abs(hypothesisLength - length), bestDiff = Math.abs(hypothesisLength - best);
            if (diff < bestDiff || (diff == bestDiff && length < best)) best = length;
        }
        return best;
    }
}
