package dev.gmsa.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Defaults taken from the decoder, and settings that cannot run rejected with the option's name. */
class LatencySettingsTest {
    @Test
    void defaultsFollowThePaper() {
        assertEquals(8, LatencySettings.defaultEncoderLayers(LatencyShapes.config("smollm-135m")), "ceil(30 / 4)");
        assertEquals(2, LatencySettings.defaultEncoderLayers(LatencyShapes.config("stories15m")), "ceil(6 / 4)");
        assertEquals(1, LatencySettings.defaultEncoderLayers(AnswerLatencyBenchmarkTest.TINY), "ceil(2 / 4)");
        assertEquals(3000, LatencySettings.defaultWindow(LatencyShapes.config("smollm-135m"), 3000));
        assertEquals(256, LatencySettings.defaultWindow(AnswerLatencyBenchmarkTest.TINY, 3000), "at most the positions");
        assertEquals(375, new LatencySettings(3000, 8, 8, 16, 32, 3000).softTokens());
        assertEquals(391, new LatencySettings(3000, 8, 8, 16, 32, 3000).gmsaPromptTokens());
    }

    @Test
    void smollmShapeIsTheRealOne() {
        var c = LatencyShapes.config("smollm-135m");
        assertEquals(List(576, 30, 9, 3, 1536, 49152, 64), List(c.hiddenSize(), c.numLayers(), c.numHeads(), c.numKeyValueHeads(),
                c.intermediateSize(), c.vocabSize(), c.headDim()));
        assertTrue(c.tieWordEmbeddings());
        assertEquals(10000.0, c.ropeTheta());
        assertTrue(c.maxPositionEmbeddings() >= 3000 + 16 + 32);
        var unknown = assertThrows(IllegalArgumentException.class, () -> LatencyShapes.config("gpt-5"));
        assertTrue(unknown.getMessage().contains("smollm-135m"), unknown.getMessage());
    }

    private static java.util.List<Integer> List(Integer... values) {
        return java.util.List.of(values);
    }

    @Test
    void rateBelowOneIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new LatencySettings(100, 0, 1, 4, 4, 100));
        assertEquals("--rate must be >= 1, got 0", e.getMessage());
    }

    @Test
    void moreEncoderLayersThanTheDecoderHasAreRejected() {
        var settings = new LatencySettings(100, 8, 3, 4, 4, 100);
        var e = assertThrows(IllegalArgumentException.class, () -> settings.checkAgainst(AnswerLatencyBenchmarkTest.TINY, "tiny"));
        assertEquals("--encoder-layers 3 exceeds the 2 layers of the tiny decoder", e.getMessage());
    }

    @Test
    void aContextBeyondTheDecoderPositionsIsRejected() {
        var settings = new LatencySettings(250, 8, 1, 4, 4, 250);
        var e = assertThrows(IllegalArgumentException.class, () -> settings.checkAgainst(AnswerLatencyBenchmarkTest.TINY, "tiny"));
        assertTrue(e.getMessage().startsWith("the original prompt needs 258 positions"), e.getMessage());
        assertTrue(e.getMessage().contains("has 256 (max_position_embeddings)"), e.getMessage());
    }

    @Test
    void aWindowBeyondTheEncoderPositionsIsRejected() {
        var settings = new LatencySettings(100, 8, 1, 4, 4, 300);
        var e = assertThrows(IllegalArgumentException.class, () -> settings.checkAgainst(AnswerLatencyBenchmarkTest.TINY, "tiny"));
        assertEquals("--window 300 exceeds the 256 positions of the tiny encoder", e.getMessage());
    }

    @Test
    void emptyAnswersAndWindowsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LatencySettings(100, 8, 1, 4, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new LatencySettings(100, 8, 1, 4, 4, 0));
        assertThrows(IllegalArgumentException.class, () -> new LatencySettings(0, 8, 1, 4, 4, 1));
        assertThrows(IllegalArgumentException.class, () -> new LatencySettings(100, 8, 0, 4, 4, 100));
    }
}
