package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BleuTest {
    private static final double EPS = 1e-8;

    // The sacrebleu README / test_bleu.py example; sacrebleu passes references as two "streams",
    // here they are regrouped per hypothesis.
    private static final List<String> README_HYPOTHESES = List.of(
            "The dog bit the man.", "It wasn't surprising.", "The man had just bitten him.");
    private static final List<List<String>> README_REFERENCES = List.of(
            List.of("The dog bit the man.", "The dog had bit the man."),
            List.of("It was not unexpected.", "No one was surprised."),
            List.of("The man bit him first.", "The man had bitten the dog."));

    // NLTK bleu_score.py docstrings (corpus_bleu / sentence_bleu), already tokenized: joined by spaces
    // and read back with the WHITESPACE tokenizer.
    private static final String NLTK_HYP1 = "It is a guide to action which ensures that the military always obeys the commands of the party";
    private static final String NLTK_HYP2_SENTENCE = "It is to insure the troops forever hearing the activity guidebook that party direct";
    private static final String NLTK_REF1A = "It is a guide to action that ensures that the military will forever heed Party commands";
    private static final String NLTK_REF1B = "It is the guiding principle which guarantees the military forces always being under the command of the Party";
    private static final String NLTK_REF1C = "It is the practical guide for the army always to heed the directions of the party";
    private static final String NLTK_CORPUS_HYP2 = "he read the book because he was interested in world history";
    private static final String NLTK_CORPUS_REF2A = "he was interested in world history because he read the book";

    private static void assertStartsWith(double lowInclusive, double highExclusive, double actual) {
        assertTrue(actual >= lowInclusive && actual < highExclusive, actual + " not in [" + lowInclusive + ", " + highExclusive + ")");
    }

    @Test
    void sacrebleuReadmeCorpusExampleWith13aTokens() {
        // sacrebleu test_bleu.py test_corpus_bleu_cases: 48.530827 for default, '13a' and smooth_method='none';
        // README: "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)".
        BleuScore bleu = Bleu.corpusDefaults().corpusScore(README_HYPOTHESES, README_REFERENCES);
        assertEquals(0.48530827, bleu.score(), EPS);
        assertEquals(17, bleu.statistics().hypothesisLength());
        assertEquals(18, bleu.statistics().referenceLength());
        assertEquals(0.943, bleu.brevityPenalty(), 5e-4);
        double[] expectedPrecisions = {0.824, 0.500, 0.455, 0.375};
        for (int n = 0; n < 4; n++) assertEquals(expectedPrecisions[n], bleu.precisions()[n], 5e-4);
        assertEquals("BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 hyp_len = 17 ref_len = 18)", bleu.toString());
    }

    @Test
    void sacrebleuReadmeExampleWithWhitespaceTokens() {
        // sacrebleu test_bleu.py: {'tokenize': 'none'} -> 49.1919566
        BleuScore bleu = Bleu.corpusDefaults().withTokenizer(BleuTokenizer.WHITESPACE).corpusScore(README_HYPOTHESES, README_REFERENCES);
        assertEquals(0.491919566, bleu.score(), EPS);
    }

    @Test
    void sacrebleuMaxOrderExamples() {
        // sacrebleu test_bleu.py test_bleu_max_order: BLEU(max_ngram_order=order) (default 'exp' smoothing), 2 decimals
        String[] expected = {"77.65", "60.50", "53.93", "48.53", "46.14", "43.28"};
        for (int order = 1; order <= 6; order++) {
            Bleu bleu = Bleu.corpusDefaults().withMaxOrder(order).withSmoothing(BleuSmoothing.EXP);
            double score = bleu.corpusScore(README_HYPOTHESES, README_REFERENCES).score();
            assertEquals(expected[order - 1], String.format("%.2f", 100 * score), "order " + order);
        }
    }

    @Test
    void sacrebleuVariableNumberOfReferences() {
        // sacrebleu README "Variable Number of References": first segment loses its first reference ->
        // "BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 ratio = 0.895 hyp_len = 17 ref_len = 19)"
        List<List<String>> references = List.of(
                List.of("The dog had bit the man."),
                README_REFERENCES.get(1),
                README_REFERENCES.get(2));
        BleuScore bleu = Bleu.corpusDefaults().corpusScore(README_HYPOTHESES, references);
        assertEquals("BLEU = 29.44 82.4/42.9/27.3/12.5 (BP = 0.889 hyp_len = 17 ref_len = 19)", bleu.toString());
    }

    @Test
    void sacrebleuScoringFromStatistics() {
        // sacrebleu test_bleu.py test_case_scoring: counts [9,7,5,3], totals [10,8,6,4], sys_len 11, ref_len 11 -> 0.8375922397
        BleuStatistics stats = new BleuStatistics(11, 11, new int[] {9, 7, 5, 3}, new int[] {10, 8, 6, 4});
        assertEquals(0.8375922397, Bleu.corpusDefaults().score(stats).score(), EPS);
    }

    @Test
    void sacrebleuRawCorpusBleuCases() {
        // sacrebleu raw_corpus_bleu = tokenize 'none', floor smoothing, effective order (compat.py); test_bleu.py cases
        Bleu raw = Bleu.corpusDefaults().withTokenizer(BleuTokenizer.WHITESPACE).withEffectiveOrder(true);
        Bleu floor001 = raw.withSmoothing(BleuSmoothing.FLOOR, 0.01);
        assertEquals(0.0, floor001.corpusScoreSingleReference(List.of("this is a test", "another test"), List.of("ref1", "ref2")).score(), EPS);
        assertEquals(1.0, floor001.sentenceScore("this is a test", "this is a test").score(), EPS);
        assertEquals(0.223606797749979, floor001.sentenceScore("this is a fest", "this is a test").score(), EPS);
        // test_case_effective_order (floor 0.01)
        assertEquals(0.3678794411714425, floor001.sentenceScore("test", "a test").score(), EPS);
        assertEquals(1.0, floor001.sentenceScore("a test", "a test").score(), EPS);
        assertEquals(0.03218297948685433, floor001.sentenceScore("a little test", "a test").score(), EPS);
        // test_case_statistics and test_case_offset: counts [4,2,1,0] totals [6,5,4,3]; floor 0.1 -> 0.1555722182, floor 0 -> 0
        String hyp = "am I am a character sequence", ref = "I am a symbol string sequence a a";
        BleuStatistics stats = raw.statistics(hyp, List.of(ref));
        assertArrayEquals(new int[] {4, 2, 1, 0}, stats.matches());
        assertArrayEquals(new int[] {6, 5, 4, 3}, stats.totals());
        assertEquals(0.1555722182, raw.withSmoothing(BleuSmoothing.FLOOR).sentenceScore(hyp, ref).score(), EPS);
        assertEquals(0.0, raw.withSmoothing(BleuSmoothing.FLOOR, 0.0).sentenceScore(hyp, ref).score(), EPS);
    }

    @Test
    void nltkCorpusBleuDocstringExample() {
        // NLTK corpus_bleu docstring: 0.5920...; weights (0.5,0.5) -> 0.8242..., uniform 5-gram -> 0.4719...
        Bleu whitespace = Bleu.corpusDefaults().withTokenizer(BleuTokenizer.WHITESPACE);
        List<String> hypotheses = List.of(NLTK_HYP1, NLTK_CORPUS_HYP2);
        List<List<String>> references = List.of(List.of(NLTK_REF1A, NLTK_REF1B, NLTK_REF1C), List.of(NLTK_CORPUS_REF2A));
        assertStartsWith(0.5920, 0.5921, whitespace.corpusScore(hypotheses, references).score());
        assertStartsWith(0.8242, 0.8243, whitespace.withMaxOrder(2).corpusScore(hypotheses, references).score());
        assertStartsWith(0.4719, 0.4720, whitespace.withMaxOrder(5).corpusScore(hypotheses, references).score());
    }

    @Test
    void nltkSentenceBleuDocstringExamples() {
        // NLTK sentence_bleu docstring: 0.5045...; BLEU-2/3/4 [0.7453..., 0.6240..., 0.5045...]; BLEU-5 0.3920...;
        // hypothesis2 without smoothing 0.0, with SmoothingFunction().method1 (= floor 0.1) 0.0370...
        Bleu whitespace = Bleu.corpusDefaults().withTokenizer(BleuTokenizer.WHITESPACE);
        List<String> references = List.of(NLTK_REF1A, NLTK_REF1B, NLTK_REF1C);
        assertStartsWith(0.5045, 0.5046, whitespace.sentenceScore(NLTK_HYP1, references).score());
        assertStartsWith(0.7453, 0.7454, whitespace.withMaxOrder(2).sentenceScore(NLTK_HYP1, references).score());
        assertStartsWith(0.6240, 0.6241, whitespace.withMaxOrder(3).sentenceScore(NLTK_HYP1, references).score());
        assertStartsWith(0.3920, 0.3921, whitespace.withMaxOrder(5).sentenceScore(NLTK_HYP1, references).score());
        assertEquals(0.0, whitespace.sentenceScore(NLTK_HYP2_SENTENCE, references).score());
        assertStartsWith(0.0370, 0.0371,
                whitespace.withSmoothing(BleuSmoothing.FLOOR).sentenceScore(NLTK_HYP2_SENTENCE, references).score());
    }

    @Test
    void nltkModifiedPrecisionClipsRepeatedWords() {
        // NLTK modified_precision docstring: 'the the the the the the the' vs two references -> 0.2857... (= 2/7)
        Bleu whitespace = Bleu.corpusDefaults().withTokenizer(BleuTokenizer.WHITESPACE);
        BleuStatistics stats = whitespace.statistics("the the the the the the the",
                List.of("the cat is on the mat", "there is a cat on the mat"));
        assertEquals(2, stats.matches()[0]);
        assertEquals(7, stats.totals()[0]);
    }

    @Test
    void sentenceDefaultsSmoothShortHypotheses() {
        // hand check: "a test" vs "a test" with exp smoothing and effective order: p1 = p2 = 1, BP = 1 -> 1
        assertEquals(1.0, Bleu.sentenceDefaults().sentenceScore("a test", "a test").score(), EPS);
        // "the cat" vs "the dog": p1 = 1/2, p2 has no match -> exp smoothing 1/(2*1); BLEU = sqrt(1/2 * 1/2) = 0.5
        // (sacrebleu 2.x BLEU(effective_order=True).sentence_score gives 49.99999999999999)
        assertEquals(0.5, Bleu.sentenceDefaults().sentenceScore("the cat", "the dog").score(), EPS);
        // same pair without smoothing: p2 = 0 -> 0
        assertEquals(0.0, Bleu.corpusDefaults().withEffectiveOrder(true).sentenceScore("the cat", "the dog").score(), EPS);
    }

    @Test
    void addKSmoothingAddsToHigherOrdersEvenWithoutNGrams() {
        // "the cat" vs "the dog", add-k 1, effective order. sacrebleu adds k before it checks for orders the
        // hypothesis is too short for, so 3- and 4-grams become 1/1: precisions 1/2, 1/2, 1, 1 -> sqrt(1/2).
        // sacrebleu 2.x BLEU(effective_order=True, smooth_method='add-k').sentence_score gives 70.71067811865471.
        Bleu addOne = Bleu.corpusDefaults().withSmoothing(BleuSmoothing.ADD_K).withEffectiveOrder(true);
        BleuScore score = addOne.sentenceScore("the cat", "the dog");
        assertEquals(Math.sqrt(0.5), score.score(), EPS);
        assertArrayEquals(new double[] {0.5, 0.5, 1.0, 1.0}, score.precisions(), EPS);
    }

    @Test
    void edgeCases() {
        Bleu bleu = Bleu.corpusDefaults();
        String sentence = "the quick brown fox jumps over the lazy dog";
        assertEquals(1.0, bleu.sentenceScore(sentence, sentence).score(), EPS);
        assertEquals(0.0, bleu.sentenceScore("", sentence).score());
        assertEquals(0.0, bleu.sentenceScore("completely different words here now", sentence).score());
        // sacrebleu test_corpus_bleu_cases: empty hypotheses -> 0.0
        assertEquals(0.0, bleu.corpusScore(List.of("", "", ""), README_REFERENCES).score());
        // shorter than 4 tokens and no effective order: the 4-gram precision is undefined -> 0, as sacrebleu
        assertEquals(0.0, bleu.sentenceScore("a test", "a test").score());
    }

    @Test
    void lowercaseOption() {
        Bleu bleu = Bleu.corpusDefaults();
        String upper = "The Quick Brown Fox Jumps", lower = "the quick brown fox jumps";
        assertEquals(0.0, bleu.sentenceScore(upper, lower).score());
        assertEquals(1.0, bleu.withLowercase(true).sentenceScore(upper, lower).score(), EPS);
    }

    @Test
    void badInputIsRejected() {
        Bleu bleu = Bleu.corpusDefaults();
        assertThrows(IllegalArgumentException.class, () -> bleu.corpusScore(List.of("a"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> bleu.sentenceScore("a", List.of()));
        assertThrows(IllegalArgumentException.class, () -> bleu.withMaxOrder(0));
        assertThrows(IllegalArgumentException.class, () -> bleu.withSmoothing(BleuSmoothing.FLOOR, Double.NaN));
    }
}
