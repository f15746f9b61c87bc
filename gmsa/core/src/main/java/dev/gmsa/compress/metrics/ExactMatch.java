package dev.gmsa.compress.metrics;

import java.util.List;

/**
 * Exact Match as the official SQuAD v2.0 script: 1 if the normalised prediction equals a
 * normalised gold answer ({@link SquadNormalizer}), maximised over the gold answers, else 0.
 * Gold answers that normalise to nothing are dropped; with none left, only an empty (after
 * normalisation) prediction matches.
 */
public final class ExactMatch {
    private ExactMatch() {}

    public static double score(String prediction, List<String> golds) {
        String normalizedPrediction = SquadNormalizer.normalize(prediction);
        for (String gold : GoldAnswers.usable(golds)) {
            if (SquadNormalizer.normalize(gold).equals(normalizedPrediction)) return 1.0;
        }
        return 0.0;
    }

    public static double score(String prediction, String gold) {
        return score(prediction, List.of(gold));
    }
}
