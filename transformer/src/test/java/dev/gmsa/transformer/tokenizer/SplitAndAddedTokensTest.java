package dev.gmsa.transformer.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SplitAndAddedTokensTest {
    /** LLaMA-3's pre-tokenizer regex, as stored in its tokenizer.json. */
    private static final String LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    @Test
    void llama3PatternSplitsWordsContractionsDigitTriplesAndSpaces() {
        SplitPattern p = new SplitPattern(LLAMA3);
        assertEquals(List.of("Hello", ",", " world", "'S", " ", "123", "45", "!!", "  ", " x", "\n\n", "y"),
                p.split("Hello, world'S 12345!!   x\n\ny"));
    }

    @Test
    void unicodeWhitespaceCountsAsWhitespace() {
        // U+00A0 and U+2009 are \s in Rust's regex; java.util.regex needs UNICODE_CHARACTER_CLASS for that
        assertEquals(List.of("\u00a0non", "-breaking", "\u2009thin"), new SplitPattern(LLAMA3).split("\u00a0non-breaking\u2009thin"));
    }

    @Test
    void gapsBetweenMatchesArePiecesToo() {
        assertEquals(List.of("ab", "1", "cd", "2"), new SplitPattern("\\d").split("ab1cd2"));
    }

    @Test
    void addedTokensMatchLeftmostLongestAndStripWhitespaceWhenAsked() {
        AddedTokens tokens = new AddedTokens(List.of(new AddedToken(10, "<a>", true, false, false),
                new AddedToken(11, "<a><b>", true, false, false), new AddedToken(12, "<c>", true, true, true)));
        List<TextSegment> s = tokens.split("x<a><b>y<a>z  <c>  w");
        assertEquals(List.of(TextSegment.text("x", true), TextSegment.token(11), TextSegment.text("y", false), TextSegment.token(10),
                TextSegment.text("z", false), TextSegment.token(12), TextSegment.text("w", false)), s);
    }
}
