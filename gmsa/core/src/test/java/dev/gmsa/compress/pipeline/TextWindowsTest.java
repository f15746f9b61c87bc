package dev.gmsa.compress.pipeline;

import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Evaluation windows: every source first, whole windows only, short documents whole. */
class TextWindowsTest {
    private static final ByteTokenizer BYTES = new ByteTokenizer(List.of());

    private static List<String> texts(List<int[]> windows) {
        return windows.stream().map(BYTES::decode).toList();
    }

    @Test
    void roundRobinOverDocumentsWithWholeWindows() {
        var w = TextWindows.of(List.of("aaaabbbbcc", "xxxxyyyy"), BYTES, 4, 10);
        assertEquals(List.of("aaaa", "xxxx", "bbbb", "yyyy"), texts(w), "the tail 'cc' is not a whole window");
    }

    @Test
    void theLimitKeepsTheFirstRound() {
        assertEquals(List.of("aaaa", "xxxx", "bbbb"), texts(TextWindows.of(List.of("aaaabbbb", "xxxxyyyy"), BYTES, 4, 3)));
    }

    @Test
    void aShortDocumentIsEvaluatedWhole() {
        assertEquals(List.of("ab", "xxxx", "yyyy"), texts(TextWindows.of(List.of("ab", "xxxxyyyy"), BYTES, 4, 10)));
    }

    @Test
    void nothingToEvaluateIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> TextWindows.of(List.of(""), BYTES, 4, 10));
        assertThrows(IllegalArgumentException.class, () -> TextWindows.of(List.of("abc"), BYTES, 0, 10));
    }
}
