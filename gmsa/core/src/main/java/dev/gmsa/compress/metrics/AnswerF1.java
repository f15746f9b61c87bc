package dev.gmsa.compress.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token F1 as the official SQuAD v2.0 script ({@code compute_f1}), maximised over the gold
 * answers: bag-of-words overlap of the normalised prediction and gold ({@link SquadNormalizer}),
 * P = overlap / prediction words, R = overlap / gold words, F1 = 2PR / (P + R). If either side
 * has no words, F1 is 1 when both are empty and 0 otherwise (SQuAD v1.1 gave 0 when both were
 * empty; v2.0 is used so that EM <= F1 always holds).
 */
public final class AnswerF1 {
    private AnswerF1() {}

    public static double score(String prediction, List<String> golds) {
        List<String> predictionTokens = SquadNormalizer.tokens(prediction);
        double best = 0.0;
        for (String gold : GoldAnswers.usable(golds)) best = Math.max(best, f1(predictionTokens, SquadNormalizer.tokens(gold)));
        return best;
    }

    public static double score(String prediction, String gold) {
        return score(prediction, List.of(gold));
    }

    static double f1(List<String> predictionTokens, List<String> goldTokens) {
        if (predictionTokens.isEmpty() || goldTokens.isEmpty()) return predictionTokens.equals(goldTokens) ? 1.0 : 0.0;
        Map<String, Integer> goldCounts = new HashMap<>();
        for (String token : goldTokens) goldCounts.merge(token, 1, Integer::sum);
        int common = 0;
        for (String token : predictionTokens) {
            Integer left = goldCounts.get(token);
            if (left != null && left > 0) {
                common++;
                goldCounts.put(token, left - 1);
            }
        }
        if (common == 0) return 0.0;
        double precision = (double) common / predictionTokens.size();
        double recall = (double) common / goldTokens.size();
        return 2 * precision * recall / (precision + recall);
    }
}
