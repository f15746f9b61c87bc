package dev.gmsa.compress.metrics;

import java.util.List;

/**
 * Accuracy of "Lost in the Middle" (Liu et al. 2024, {@code best_subspan_em}), the Acc column of
 * the GMSA paper's QA tables: 1 if some normalised gold answer ({@link SquadNormalizer}) occurs as
 * a substring of the normalised output, else 0. Lets a verbose answer count when it contains the
 * gold one.
 *
 * <p>One deliberate difference: gold answers that normalise to the empty string are ignored
 * (the reference would count the empty string as contained in every output). If all gold answers
 * are empty, the output is correct only if it normalises to empty as well.
 */
public final class AnswerAccuracy {
    private AnswerAccuracy() {}

    public static double score(String output, List<String> golds) {
        String normalizedOutput = SquadNormalizer.normalize(output);
        boolean anyUsable = false;
        for (String gold : golds) {
            String normalizedGold = SquadNormalizer.normalize(gold);
            if (normalizedGold.isEmpty()) continue;
            anyUsable = true;
            if (normalizedOutput.contains(normalizedGold)) return 1.0;
        }
        return !anyUsable && normalizedOutput.isEmpty() ? 1.0 : 0.0;
    }

    public static double score(String output, String gold) {
        return score(output, List.of(gold));
    }
}
