package dev.gmsa.compress.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tokenizer of Google's rouge-score package ({@code rouge_score/tokenize.py}) without
 * stemming, its default: lowercase, then every run of characters outside {@code [a-z0-9]} is a
 * separator. Non-ASCII letters are therefore separators too, as in rouge-score (and ROUGE-1.5.5).
 */
public final class RougeTokenizer {
    private RougeTokenizer() {}

    public static List<String> tokenize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> tokens = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean inToken = i < lower.length() && isAsciiAlphanumeric(lower.charAt(i));
            if (inToken && start < 0) start = i;
            if (!inToken && start >= 0) {
                tokens.add(lower.substring(start, i));
                start = -1;
            }
        }
        return tokens;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
