package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Expected values from Google's rouge-score tests ({@code rouge/rouge_scorer_test.py}); note
 * rouge-score calls {@code score(target, prediction)}, our arguments are (prediction, reference).
 */
class RougeTest {
    private static final double EPS = 1e-9;

    // rouge/testdata/prediction.txt and target.txt, lines 1 and 2 (random strings; "ground truth" from ROUGE-1.5.5 runs)
    private static final String PREDICTION_0 = "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi";
    private static final String PREDICTION_1 = "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD";
    private static final String TARGET_0 = "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L";
    private static final String TARGET_1 = "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN";

    private static void assertScore(double precision, double recall, double f1, RougeScore actual, double tolerance) {
        assertEquals(precision, actual.precision(), tolerance, "precision");
        assertEquals(recall, actual.recall(), tolerance, "recall");
        assertEquals(f1, actual.f1(), tolerance, "f1");
    }

    @Test
    void rouge1() {
        // testRouge1: score("testing one two", "testing") -> P 1, R 1/3, F 1/2
        assertScore(1, 1.0 / 3, 0.5, Rouge.rouge1("testing", "testing one two"), EPS);
    }

    @Test
    void rouge2() {
        // testRouge2: score("testing one two", "testing one") -> P 1, R 1/2, F 2/3
        assertScore(1, 0.5, 2.0 / 3, Rouge.rouge2("testing one", "testing one two"), EPS);
    }

    @Test
    void rougeLConsecutiveAndNonConsecutive() {
        // testRougeLConsecutive / testRougeLNonConsecutive -> P 1, R 2/3, F 4/5
        assertScore(1, 2.0 / 3, 0.8, Rouge.rougeL("testing one", "testing one two"), EPS);
        assertScore(1, 2.0 / 3, 0.8, Rouge.rougeL("testing two", "testing one two"), EPS);
    }

    @Test
    void emptyPredictionScoresZero() {
        // testRougeEmpty: score("testing one two", "") -> 0, 0, 0 for rouge1, rouge2, rougeL
        assertScore(0, 0, 0, Rouge.rouge1("", "testing one two"), 0);
        assertScore(0, 0, 0, Rouge.rouge2("", "testing one two"), 0);
        assertScore(0, 0, 0, Rouge.rougeL("", "testing one two"), 0);
    }

    @Test
    void agreesWithRouge155OnTestdata() {
        // testRouge1AgainstRouge155, testRouge2AgainstRouge155, testRougeLAgainstRouge155 (5 decimals)
        assertScore(0.68750, 0.40741, 0.51163, Rouge.rouge1(PREDICTION_0, TARGET_0), 5e-6);
        assertScore(0.65385, 0.40476, 0.50000, Rouge.rouge1(PREDICTION_1, TARGET_1), 5e-6);
        assertScore(0.53333, 0.30769, 0.39024, Rouge.rouge2(PREDICTION_0, TARGET_0), 5e-6);
        assertScore(0.48000, 0.29268, 0.36364, Rouge.rouge2(PREDICTION_1, TARGET_1), 5e-6);
        assertScore(0.68750, 0.40741, 0.51163, Rouge.rougeL(PREDICTION_0, TARGET_0), 5e-6);
        assertScore(0.65385, 0.40476, 0.50000, Rouge.rougeL(PREDICTION_1, TARGET_1), 5e-6);
    }

    @Test
    void lcsOfTheRougeScorerTestTable() {
        // testLcsTable: ref [1,2,3,4,5], candidate [2,5,3,4] -> LCS 3; [8,9] -> 0
        List<String> ref = List.of("1", "2", "3", "4", "5");
        assertEquals(3, Rouge.longestCommonSubsequence(ref, List.of("2", "5", "3", "4")));
        assertEquals(0, Rouge.longestCommonSubsequence(ref, List.of("8", "9")));
    }

    @Test
    void tokenizerLowercasesAndSplitsOnNonAlphanumerics() {
        // rouge_score/tokenize.py: lower(), [^a-z0-9]+ -> space; non-ASCII letters separate tokens
        assertEquals(List.of("the", "quick", "brown", "dog", "s", "log", "3", "5"),
                RougeTokenizer.tokenize("The QUICK brown-dog's log, 3.5!"));
        assertEquals(List.of("caf", "cr", "me"), RougeTokenizer.tokenize("café crème"));
        assertEquals(List.of(), RougeTokenizer.tokenize(" /// "));
    }

    @Test
    void identicalAndDisjointTexts() {
        String text = "The cat sat on the mat.";
        assertScore(1, 1, 1, Rouge.rouge1(text, text), EPS);
        assertScore(1, 1, 1, Rouge.rouge2(text, text), EPS);
        assertScore(1, 1, 1, Rouge.rougeL(text, text), EPS);
        assertScore(0, 0, 0, Rouge.rouge1("dogs bark loudly", text), 0);
        assertScore(0, 0, 0, Rouge.rougeL("dogs bark loudly", text), 0);
    }

    @Test
    void repeatedNGramsAreClipped() {
        // hand check: prediction "the the the" vs reference "the cat": overlap min(3, 1) = 1 -> P 1/3, R 1/2, F 0.4
        assertScore(1.0 / 3, 0.5, 0.4, Rouge.rouge1("the the the", "the cat"), EPS);
    }

    @Test
    void meanAveragesEachField() {
        RougeScore mean = RougeScore.mean(List.of(new RougeScore(1, 0.5, 2.0 / 3), new RougeScore(0, 0, 0)));
        assertScore(0.5, 0.25, 1.0 / 3, mean, EPS);
        assertThrows(IllegalArgumentException.class, () -> RougeScore.mean(List.of()));
        assertThrows(IllegalArgumentException.class, () -> Rouge.rougeN(0, "a", "a"));
    }
}
