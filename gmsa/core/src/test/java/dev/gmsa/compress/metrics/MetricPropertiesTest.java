package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties every metric must have, on random sentences from a small vocabulary (so words overlap). */
class MetricPropertiesTest {
    private static final double EPS = 1e-12;

    @Provide
    Arbitrary<String> sentences() {
        Arbitrary<String> word = Arbitraries.of("the", "a", "cat", "dog", "sat", "on", "mat", "Mat", "ran", "3.5", "it's", ",", ".", "!", "é");
        return word.list().ofMinSize(0).ofMaxSize(12).map(words -> String.join(" ", words));
    }

    @Provide
    Arbitrary<String> longSentences() {
        return sentences().filter(s -> Tokenizer13a.tokenize(s).size() >= Bleu.DEFAULT_MAX_ORDER);
    }

    private static void assertUnit(double value) {
        assertTrue(value >= 0 && value <= 1 + EPS, "not in [0, 1]: " + value);
    }

    private static void assertUnit(RougeScore score) {
        assertUnit(score.precision());
        assertUnit(score.recall());
        assertUnit(score.f1());
    }

    @Property(tries = 200)
    void bleuIsInUnitInterval(@ForAll("sentences") String hypothesis, @ForAll("sentences") String reference) {
        for (BleuSmoothing smoothing : BleuSmoothing.values()) {
            assertUnit(Bleu.corpusDefaults().withSmoothing(smoothing).sentenceScore(hypothesis, reference).score());
            assertUnit(Bleu.sentenceDefaults().withSmoothing(smoothing).sentenceScore(hypothesis, reference).score());
        }
    }

    @Property(tries = 100)
    void bleuOfIdenticalTextIsOne(@ForAll("longSentences") String text) {
        assertEquals(1.0, Bleu.corpusDefaults().sentenceScore(text, text).score(), 1e-9);
        assertEquals(1.0, Bleu.sentenceDefaults().sentenceScore(text, text).score(), 1e-9);
    }

    @Property(tries = 100)
    void corpusBleuOfOneSegmentIsItsSentenceBleu(@ForAll("sentences") String hypothesis, @ForAll("sentences") String reference) {
        Bleu bleu = Bleu.corpusDefaults();
        assertEquals(bleu.sentenceScore(hypothesis, reference).score(),
                bleu.corpusScoreSingleReference(List.of(hypothesis), List.of(reference)).score(), EPS);
    }

    @Property(tries = 200)
    void rougeIsInUnitIntervalAndF1IsSymmetric(@ForAll("sentences") String a, @ForAll("sentences") String b) {
        for (int n = 1; n <= 2; n++) {
            RougeScore ab = Rouge.rougeN(n, a, b), ba = Rouge.rougeN(n, b, a);
            assertUnit(ab);
            assertEquals(ab.f1(), ba.f1(), EPS);
            assertEquals(ab.precision(), ba.recall(), EPS);
        }
        RougeScore ab = Rouge.rougeL(a, b), ba = Rouge.rougeL(b, a);
        assertUnit(ab);
        assertEquals(ab.f1(), ba.f1(), EPS);
        assertEquals(ab.precision(), ba.recall(), EPS);
    }

    @Property(tries = 100)
    void rougeOfIdenticalTextIsOne(@ForAll("sentences") String text) {
        Assume.that(RougeTokenizer.tokenize(text).size() >= 2); // ROUGE of nothing is 0 by definition
        assertEquals(1.0, Rouge.rouge1(text, text).f1(), EPS);
        assertEquals(1.0, Rouge.rouge2(text, text).f1(), EPS);
        assertEquals(1.0, Rouge.rougeL(text, text).f1(), EPS);
    }

    @Property(tries = 100)
    void rougeLNeverExceedsRouge1(@ForAll("sentences") String a, @ForAll("sentences") String b) {
        // an LCS is a clipped unigram overlap, so ROUGE-L <= ROUGE-1 field by field
        RougeScore lcs = Rouge.rougeL(a, b), unigram = Rouge.rouge1(a, b);
        assertTrue(lcs.precision() <= unigram.precision() + EPS && lcs.recall() <= unigram.recall() + EPS);
    }

    @Property(tries = 200)
    void emNeverExceedsF1AndF1NeverExceedsOne(@ForAll("sentences") String prediction, @ForAll("sentences") String gold) {
        double em = ExactMatch.score(prediction, gold), f1 = AnswerF1.score(prediction, gold);
        assertUnit(em);
        assertUnit(f1);
        assertTrue(em <= f1 + EPS, "EM " + em + " > F1 " + f1);
        assertTrue(em <= AnswerAccuracy.score(prediction, gold), "an exact match must count as accurate");
    }

    @Property(tries = 100)
    void answerF1IsSymmetricAndIdentityScoresOne(@ForAll("sentences") String a, @ForAll("sentences") String b) {
        assertEquals(AnswerF1.score(a, b), AnswerF1.score(b, a), EPS);
        assertEquals(1.0, ExactMatch.score(a, a));
        assertEquals(1.0, AnswerF1.score(a, a));
    }

    @Property(tries = 100)
    void prefixExactMatchIsInUnitIntervalAndOneOnIdentity(@ForAll("sentences") String a, @ForAll("sentences") String b) {
        assertUnit(PrefixExactMatch.score(a, b));
        assertEquals(1.0, PrefixExactMatch.score(a, a));
        assertEquals(1.0, PrefixExactMatch.score(b + " extra words", b)); // continuing past the original costs nothing
    }
}
