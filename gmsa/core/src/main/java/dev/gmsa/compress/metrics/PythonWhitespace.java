package dev.gmsa.compress.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text the way Python's {@code str.split()} (no argument) does, because the reference
 * implementations we match (sacrebleu, the SQuAD script) split that way: runs of any Unicode
 * whitespace separate tokens, leading and trailing whitespace give no empty tokens.
 */
final class PythonWhitespace {
    private PythonWhitespace() {}

    /** Python's {@code str.isspace()} for one char: Java's whitespace, plus no-break spaces and NEL. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    static List<String> split(String text) {
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); i++) {
            if (isSpace(text.charAt(i))) {
                if (start >= 0) tokens.add(text.substring(start, i));
                start = -1;
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) tokens.add(text.substring(start));
        return tokens;
    }

    /** {@code ' '.join(text.split())}: single spaces, no leading or trailing space. */
    static String collapse(String text) {
        return String.join(" ", split(text));
    }
}
