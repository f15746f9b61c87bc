package dev.gmsa.compress.metrics;

import java.util.List;

/** How BLEU turns a string into tokens before counting n-grams. */
public enum BleuTokenizer {
    /** sacrebleu's {@code tokenize='none'}: split on whitespace only (use for text that is already tokenized). */
    WHITESPACE,
    /** sacrebleu's default {@code tokenize='13a'} (mteval-v13a); see {@link Tokenizer13a}. */
    MTEVAL_13A;

    public List<String> tokenize(String text) {
        return switch (this) {
            case WHITESPACE -> PythonWhitespace.split(text);
            case MTEVAL_13A -> Tokenizer13a.tokenize(text);
        };
    }
}
