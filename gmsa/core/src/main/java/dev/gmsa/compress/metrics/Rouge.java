package dev.gmsa.compress.metrics;

import java.util.List;
import java.util.Map;

/**
 * ROUGE-N and ROUGE-L (Lin 2004) as Google's rouge-score package computes them with default
 * options ({@code RougeScorer(['rouge1', 'rouge2', 'rougeL'])}, no stemmer), which in turn matches
 * {@code ROUGE-1.5.5.pl -e data -n 2}. Tokens come from {@link RougeTokenizer}.
 *
 * <p>Arguments are (prediction, reference) everywhere in this package; note that rouge-score's
 * {@code score(target, prediction)} takes them the other way round. Precision is measured on the
 * prediction, recall on the reference, so swapping the arguments swaps P and R and keeps F1.
 *
 * <ul>
 *   <li>ROUGE-N: clipped n-gram overlap / prediction n-grams (P) and / reference n-grams (R),
 *       each denominator at least 1, so an empty side gives 0.</li>
 *   <li>ROUGE-L: longest common subsequence of the two token lists, LCS / prediction length (P)
 *       and / reference length (R); 0 if either side has no tokens. (The summary-level ROUGE-Lsum
 *       over newline-split sentences is not implemented.)</li>
 * </ul>
 */
public final class Rouge {
    private Rouge() {}

    public static RougeScore rouge1(String prediction, String reference) {
        return rougeN(1, prediction, reference);
    }

    public static RougeScore rouge2(String prediction, String reference) {
        return rougeN(2, prediction, reference);
    }

    public static RougeScore rougeN(int n, String prediction, String reference) {
        return rougeN(n, RougeTokenizer.tokenize(prediction), RougeTokenizer.tokenize(reference));
    }

    public static RougeScore rougeL(String prediction, String reference) {
        return rougeL(RougeTokenizer.tokenize(prediction), RougeTokenizer.tokenize(reference));
    }

    /** ROUGE-N on tokens that are already split. */
    public static RougeScore rougeN(int n, List<String> predictionTokens, List<String> referenceTokens) {
        if (n < 1) throw new IllegalArgumentException("ROUGE-N needs n >= 1, got " + n);
        Map<List<String>, Integer> predicted = NGramCounts.of(predictionTokens, n);
        Map<List<String>, Integer> reference = NGramCounts.of(referenceTokens, n);
        int overlap = NGramCounts.clippedOverlap(reference, predicted);
        double precision = (double) overlap / Math.max(NGramCounts.total(predictionTokens.size(), n), 1);
        double recall = (double) overlap / Math.max(NGramCounts.total(referenceTokens.size(), n), 1);
        return RougeScore.of(precision, recall);
    }

    /** ROUGE-L on tokens that are already split. */
    public static RougeScore rougeL(List<String> predictionTokens, List<String> referenceTokens) {
        if (predictionTokens.isEmpty() || referenceTokens.isEmpty()) return new RougeScore(0, 0, 0);
        int lcs = longestCommonSubsequence(referenceTokens, predictionTokens);
        return RougeScore.of((double) lcs / predictionTokens.size(), (double) lcs / referenceTokens.size());
    }

    /** Length of the longest common subsequence, by the usual dynamic programme kept to two rows. */
    static int longestCommonSubsequence(List<String> a, List<String> b) {
        int[] previous = new int[b.size() + 1];
        int[] current = new int[b.size() + 1];
        for (String tokenA : a) {
            for (int j = 1; j <= b.size(); j++) {
                current[j] = tokenA.equals(b.get(j - 1)) ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.size()];
    }
}
