package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected values are what the official SQuAD v2.0 evaluate script's {@code normalize_answer},
 * {@code compute_exact} and {@code compute_f1} return on the same inputs (run on the script's code).
 */
class SquadMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void normalizationLowercasesDropsPunctuationArticlesAndExtraSpace() {
        assertEquals("quick brown fox", SquadNormalizer.normalize("The Quick, Brown Fox!"));
        assertEquals("apple day", SquadNormalizer.normalize("An apple a day"));
        assertEquals("banana theory", SquadNormalizer.normalize("banana theory")); // only whole words are articles
        assertEquals("theend", SquadNormalizer.normalize("the-end")); // punctuation goes first, then articles
        assertEquals("usa", SquadNormalizer.normalize("U.S.A."));
        assertEquals("dont stop me now", SquadNormalizer.normalize("  Don't   stop\tme\u00a0now "));
        assertEquals("ünter élan", SquadNormalizer.normalize("Ünter the élan"));
        assertEquals("ané", SquadNormalizer.normalize("ané the")); // "an" inside a Unicode word is kept
        assertEquals("“quoted” — dash", SquadNormalizer.normalize("“Quoted” — dash")); // only ASCII punctuation is removed
        assertEquals("", SquadNormalizer.normalize("the"));
    }

    @Test
    void exactMatchAndF1OnWorkedExamples() {
        // (gold, prediction) -> (EM, F1) from compute_exact / compute_f1
        assertEquals(0.0, ExactMatch.score("the cat sat", "a cat sat on the mat"));
        assertEquals(2.0 / 3, AnswerF1.score("the cat sat", "a cat sat on the mat"), EPS);
        assertEquals(2.0 / 3, AnswerF1.score("Broncos", "Denver Broncos"), EPS);
        assertEquals(1.0, ExactMatch.score("the", "the the")); // both normalise to ""
        assertEquals(1.0, AnswerF1.score("the", "the the"));
        assertEquals(1.0, AnswerF1.score("Bernadette Soubirous saint", "Saint Bernadette Soubirous"), EPS); // bag of words
        assertEquals(2.0 / 3, AnswerF1.score("one two two", "one one two"), EPS); // counts are clipped
    }

    @Test
    void bestGoldAnswerCounts() {
        List<String> golds = List.of("Denver Broncos", "The Broncos", "Broncos");
        assertEquals(1.0, ExactMatch.score("broncos.", golds));
        assertEquals(1.0, AnswerF1.score("broncos.", golds));
        assertEquals(0.0, ExactMatch.score("Carolina Panthers", golds));
        assertEquals(0.0, AnswerF1.score("Carolina Panthers", golds));
    }

    @Test
    void unanswerableQuestionsExpectAnEmptyPrediction() {
        // get_raw_scores: golds that normalise to "" are dropped; none left -> the only gold is ""
        assertEquals(1.0, ExactMatch.score("", List.of()));
        assertEquals(1.0, AnswerF1.score("", List.of()));
        assertEquals(0.0, ExactMatch.score("France", List.of()));
        assertEquals(0.0, AnswerF1.score("France", List.of("", "the")));
        assertEquals(0.0, AnswerF1.score("", List.of("France")));
    }

    @Test
    void accuracyIsSubstringContainmentAfterNormalization() {
        // "Lost in the Middle" best_subspan_em: normalised gold inside normalised output
        assertEquals(1.0, AnswerAccuracy.score("I think the answer is: The Denver Broncos!", List.of("Denver Broncos")));
        assertEquals(1.0, AnswerAccuracy.score("In France, of course.", List.of("Germany", "france")));
        assertEquals(0.0, AnswerAccuracy.score("Denver", List.of("Denver Broncos")));
        assertEquals(0.0, AnswerAccuracy.score("", List.of("Denver Broncos")));
        // deliberate difference: empty golds are ignored instead of matching everything
        assertEquals(0.0, AnswerAccuracy.score("anything", List.of("the")));
        assertEquals(1.0, AnswerAccuracy.score("", List.of("the")));
    }

    @Test
    void emIsOneWhenOutputEqualsGold() {
        assertEquals(1.0, ExactMatch.score("Normandy", "normandy"));
        assertEquals(1.0, AnswerF1.score("Normandy", "normandy"));
        assertEquals(1.0, AnswerAccuracy.score("Normandy", "normandy"));
    }
}
