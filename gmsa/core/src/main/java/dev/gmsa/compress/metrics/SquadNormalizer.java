package dev.gmsa.compress.metrics;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answer normalisation of the official SQuAD evaluation scripts (v1.1 and v2.0,
 * {@code normalize_answer}), applied in their order: lowercase, delete ASCII punctuation
 * ({@code string.punctuation}), replace the whole words "a", "an", "the" by a space, collapse
 * whitespace. The same normalisation serves EM, F1 and Accuracy.
 */
public final class SquadNormalizer {
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    // Python 3's \b on str is Unicode-aware; UNICODE_CHARACTER_CLASS makes Java's agree.
    private static final Pattern ARTICLES = Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);

    private SquadNormalizer() {}

    public static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        StringBuilder withoutPunctuation = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (PUNCTUATION.indexOf(c) < 0) withoutPunctuation.append(c);
        }
        String withoutArticles = ARTICLES.matcher(withoutPunctuation).replaceAll(" ");
        return PythonWhitespace.collapse(withoutArticles);
    }

    /** The normalised answer split into words (the script's {@code get_tokens}). */
    public static List<String> tokens(String text) {
        return PythonWhitespace.split(normalize(text));
    }
}
