package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PrefixExactMatchTest {
    @Test
    void paperFootnoteExample() {
        // GMSA paper, footnote 2: 512 tokens, first 128 match, 129th does not -> 128/512 = 0.25
        int[] original = IntStream.range(0, 512).toArray();
        int[] reconstruction = original.clone();
        reconstruction[128] = -1;
        assertEquals(128, PrefixExactMatch.matchedPrefixLength(reconstruction, original));
        assertEquals(0.25, PrefixExactMatch.score(reconstruction, original));
    }

    @Test
    void matchesAfterTheFirstMismatchDoNotCount() {
        assertEquals(0.5, PrefixExactMatch.score("a b X d", "a b c d")); // 2 of 4 matched; the later "d" does not count
        assertEquals(0.0, PrefixExactMatch.score("X b c d", "a b c d"));
    }

    @Test
    void stoppingEarlyIsChargedExtraTokensAreNot() {
        assertEquals(0.5, PrefixExactMatch.score(List.of(1, 2), List.of(1, 2, 3, 4)));
        assertEquals(1.0, PrefixExactMatch.score(List.of(1, 2, 3, 4, 5, 6), List.of(1, 2, 3, 4)));
    }

    @Test
    void edgeCases() {
        assertEquals(1.0, PrefixExactMatch.score("the same words", "the  same\twords"));
        assertEquals(0.0, PrefixExactMatch.score("", "some words"));
        assertEquals(1.0, PrefixExactMatch.score(new int[0], new int[0]));
        assertEquals(1.0, PrefixExactMatch.score(new int[] {7}, new int[0]));
    }
}
