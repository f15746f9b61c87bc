package dev.gmsa.transformer.tokenizer;

import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code Split} pre-tokenizer with behaviour {@code Isolated}: every regex match is a piece and so is every
 * gap between matches. The patterns of GPT-2, LLaMA-3 and Qwen are written for Rust's Unicode-aware regex;
 * in java.util.regex the same text needs UNICODE_CHARACTER_CLASS so that {@code \s} and {@code (?i)} are
 * Unicode-aware too (U+00A0 and U+2009 are whitespace there).
 */
public final class SplitPattern {
    private final Pattern pattern;

    public SplitPattern(String hfRegex) {
        try {
            this.pattern = Pattern.compile(hfRegex, Pattern.UNICODE_CHARACTER_CLASS);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pre-tokenizer regex does not compile in java.util.regex: " + e.getMessage(), e);
        }
    }

    public String regex() {
        return pattern.pattern();
    }

    /** Calls {@code piece} for each match and each non-empty gap, in order. */
    public void split(String text, Consumer<String> piece) {
        Matcher m = pattern.matcher(text);
        int end = 0;
        while (m.find()) {
            if (m.start() == m.end()) continue;
            if (m.start() > end) piece.accept(text.substring(end, m.start()));
            piece.accept(text.substring(m.start(), m.end()));
            end = m.end();
        }
        if (end < text.length()) piece.accept(text.substring(end));
    }

    public List<String> split(String text) {
        List<String> out = new java.util.ArrayList<>();
        split(text, out::add);
        return out;
    }
}
