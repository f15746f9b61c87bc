package dev.gmsa.compress.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected tokens printed by sacrebleu 2.x's own Tokenizer13a (tokenizers/tokenizer_13a.py) on the same inputs. */
class Tokenizer13aTest {
    @Test
    void apostrophesStayInsideWordsAndFinalPeriodSplits() {
        assertEquals(List.of("It", "wasn't", "surprising", "."), Tokenizer13a.tokenize("It wasn't surprising."));
    }

    @Test
    void periodsAndCommasBetweenDigitsStay() {
        assertEquals(List.of("3.5", "and", "1,000", "people", ",", "e", ".", "g", ".", "you", "."),
                Tokenizer13a.tokenize("3.5 and 1,000 people, e.g. you."));
    }

    @Test
    void symbolsDashesAfterDigitsAndEntities() {
        assertEquals(List.of("$", "5", "-", "10", "(", "approx", ".", ")", "\"", "Hi", "\"", "&", "<", "b", ">", "bye",
                        "<", "/", "b", ">"),
                Tokenizer13a.tokenize("$5-10 (approx.) &quot;Hi&quot; &amp; <b>bye</b>"));
    }

    @Test
    void hyphenatedLineBreaksJoinAndSkippedMarkersVanish() {
        assertEquals(List.of("endof", "line", "next", "x"), Tokenizer13a.tokenize("end-\nof line\nnext  <skipped> x  "));
    }

    @Test
    void everyAsciiSymbolClassIsSplit() {
        assertEquals(List.of("a", "/", "b", "@", "c", "{", "d", "}", "~", "e", "|", "f", "\\", "g", "^", "h", "_", "i", "`", "j"),
                Tokenizer13a.tokenize("a/b@c{d}~e|f\\g^h_i`j"));
    }

    @Test
    void emptyAndBlankGiveNoTokens() {
        assertEquals(List.of(), Tokenizer13a.tokenize(""));
        assertEquals(List.of(), Tokenizer13a.tokenize(" \t\n "));
    }
}
