package dev.gmsa.compress.metrics;

import java.util.List;

/**
 * The gold answers a prediction is scored against, as in SQuAD v2.0's {@code get_raw_scores}:
 * answers that normalise to nothing are dropped, and if none is left the only correct answer is
 * the empty string (an unanswerable question).
 */
final class GoldAnswers {
    private GoldAnswers() {}

    static List<String> usable(List<String> golds) {
        List<String> kept = golds.stream().filter(g -> !SquadNormalizer.normalize(g).isEmpty()).toList();
        return kept.isEmpty() ? List.of("") : kept;
    }
}
