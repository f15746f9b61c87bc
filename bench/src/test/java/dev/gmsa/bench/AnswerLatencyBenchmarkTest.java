package dev.gmsa.bench;

import dev.gmsa.transformer.ModelConfig;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the two timed paths feed the decoder and generate, on a tiny random decoder (2 layers, 32 dims). */
class AnswerLatencyBenchmarkTest {
    static final ModelConfig TINY = ModelConfig.builder().hiddenSize(32).intermediateSize(64).numLayers(2).numHeads(4)
            .numKeyValueHeads(2).headDim(8).vocabSize(97).maxPositionEmbeddings(256)
            .tieWordEmbeddings(true).bosTokenIds(1).eosTokenIds(2).build();

    private static int[] ids(long seed, int n) {
        return LatencyCommand.randomIds(new SplittableRandom(seed), n, TINY.vocabSize());
    }

    @Test
    void gmsaPrefillsSoftTokensPlusQuestionAndAnswersInFull() {
        var settings = new LatencySettings(50, 8, 1, 5, 7, 50).checkAgainst(TINY, "tiny");
        var bench = new AnswerLatencyBenchmark(TINY, settings, 3);
        AnswerTiming gmsa = bench.gmsa(ids(1, 50), ids(2, 5));
        assertEquals(7, gmsa.softTokens(), "ceil(50 / 8) soft tokens");
        assertEquals(7 + 5, gmsa.prefillTokens(), "prefill = soft tokens + question");
        assertEquals(7, gmsa.answerTokens());
        assertTrue(gmsa.compressSeconds() > 0 && gmsa.prefillSeconds() > 0 && gmsa.decodeSeconds() > 0, gmsa.toString());
        assertEquals(gmsa.compressSeconds() + gmsa.prefillSeconds() + gmsa.decodeSeconds(), gmsa.totalSeconds(), 1e-12);
    }

    @Test
    void originalPrefillsContextPlusQuestionWithoutCompression() {
        var settings = new LatencySettings(50, 8, 1, 5, 7, 50).checkAgainst(TINY, "tiny");
        AnswerTiming original = new AnswerLatencyBenchmark(TINY, settings, 3).original(ids(1, 50), ids(2, 5));
        assertEquals(55, original.prefillTokens());
        assertEquals(7, original.answerTokens());
        assertEquals(0, original.softTokens());
        assertEquals(0.0, original.compressSeconds());
    }

    @Test
    void windowsAreCompressedOneByOne() {
        // windows 12, 12, 12, 12, 2 at rate 5: 3 + 3 + 3 + 3 + 1 soft tokens, not ceil(50 / 5) = 10
        var settings = new LatencySettings(50, 5, 2, 4, 3, 12).checkAgainst(TINY, "tiny");
        assertEquals(13, settings.softTokens());
        AnswerTiming gmsa = new AnswerLatencyBenchmark(TINY, settings, 3).gmsa(ids(1, 50), ids(2, 4));
        assertEquals(13, gmsa.softTokens());
        assertEquals(17, gmsa.prefillTokens());
    }

    @Property(tries = 15)
    void softTokensMatchWhatTheCompressorMakes(@ForAll @IntRange(min = 1, max = 60) int context,
                                               @ForAll @IntRange(min = 1, max = 9) int rate,
                                               @ForAll @IntRange(min = 1, max = 70) int window,
                                               @ForAll @IntRange(min = 0, max = 3) int question) {
        var settings = new LatencySettings(context, rate, 1, question, 2, window).checkAgainst(TINY, "tiny");
        int expected = 0;
        for (int start = 0; start < context; start += window) expected += Math.ceilDiv(Math.min(window, context - start), rate);
        assertEquals(expected, settings.softTokens());
        AnswerTiming gmsa = new AnswerLatencyBenchmark(TINY, settings, 5).gmsa(ids(1, context), ids(2, question));
        assertEquals(expected, gmsa.softTokens());
        assertEquals(expected + question, gmsa.prefillTokens());
        assertEquals(2, gmsa.answerTokens());
    }
}
