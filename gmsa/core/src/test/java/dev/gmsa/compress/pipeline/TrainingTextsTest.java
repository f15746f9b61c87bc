package dev.gmsa.compress.pipeline;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingTextsTest {
    /** Aligned windows begin a story (a capitalised word with no leading space); any-start windows mostly do not. */
    @Test
    void anyStartWindowsBeginAnywhereAndKeepTheirLength() {
        var t = EmbeddedDefault.tokenizer();
        var aligned = TrainingTexts.generated(t, 24);
        var anyStart = TrainingTexts.generatedAnyStart(t, 24);
        SplittableRandom rng = new SplittableRandom(3);
        int alignedMidSentence = 0, anyMidSentence = 0;
        for (int i = 0; i < 100; i++) {
            int[] a = aligned.draw(rng), b = anyStart.draw(rng);
            assertEquals(24, a.length);
            assertEquals(24, b.length);
            if (t.decode(new int[] {a[0]}).startsWith(" ")) alignedMidSentence++;
            if (t.decode(new int[] {b[0]}).startsWith(" ")) anyMidSentence++;
        }
        assertEquals(0, alignedMidSentence);
        assertTrue(anyMidSentence > 50, "any-start windows beginning inside a sentence: " + anyMidSentence);
    }
}
