package dev.gmsa.transformer.tokenizer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class WordTokenizerTest {
    private static final WordTokenizer T = new WordTokenizer(List.of("Mia", "found", "a", "kite", "the", "."), List.of("<s>", "</s>"));

    @Test
    void knownWordsAreOneTokenEachWithTheirLeadingSpace() {
        int[] ids = T.encode("Mia found a kite.");
        assertEquals(5, ids.length);
        assertEquals(List.of("Mia", " found", " a", " kite", "."), java.util.Arrays.stream(ids).mapToObj(T::token).toList());
    }

    @Test
    void unknownTextFallsBackToBytesAndPartialWordsAreNotMatched() {
        assertArrayEquals(new int[] {'x'}, T.encode("x"));
        int[] ids = T.encode("kites");
        assertEquals("kites", T.decode(ids));
        assertEquals(5, ids.length, "'kite' inside 'kites' is not a word boundary: bytes");
    }

    @Test
    void specialsAndWordsHaveStableIds() {
        assertEquals(256, T.tokenId("<s>"));
        assertEquals(257, T.tokenId("</s>"));
        assertEquals(258, T.tokenId("Mia"));
        assertEquals(258 + 12, T.vocabSize());
    }

    @Property(tries = 300)
    void anyTextRoundTrips(@ForAll String text) {
        assertEquals(text, T.decode(T.encode(text)));
    }
}
