package dev.gmsa.transformer.tokenizer;

import java.util.Arrays;

/**
 * A tokenizer with a post-processor template: {@link #encodeWithSpecialTokens} puts fixed special-token ids around
 * the text's ids (LLaMA's {@code <s>}, LLaMA-3's {@code <|begin_of_text|>}); everything else is the wrapped
 * tokenizer's, so {@link #encode} still adds nothing.
 */
public final class TemplatedTokenizer implements Tokenizer {
    private final Tokenizer inner;
    private final int[] prefix;
    private final int[] suffix;

    public TemplatedTokenizer(Tokenizer inner, int[] prefix, int[] suffix) {
        this.inner = inner;
        this.prefix = prefix.clone();
        this.suffix = suffix.clone();
        int vocab = inner.vocabSize();
        for (int id : this.prefix) checkId(id, vocab);
        for (int id : this.suffix) checkId(id, vocab);
    }

    private static void checkId(int id, int vocabSize) {
        if (id < 0 || id >= vocabSize)
            throw new IllegalArgumentException("template special token id " + id + " is outside the vocabulary [0, " + vocabSize + ")");
    }

    /** The ids put before the text's ids. */
    public int[] prefix() {
        return prefix.clone();
    }

    /** The ids put after the text's ids. */
    public int[] suffix() {
        return suffix.clone();
    }

    @Override
    public int[] encode(String text) {
        return inner.encode(text);
    }

    @Override
    public int[] encodeWithSpecialTokens(String text) {
        int[] body = inner.encode(text);
        int[] out = Arrays.copyOf(prefix, prefix.length + body.length + suffix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        System.arraycopy(suffix, 0, out, prefix.length + body.length, suffix.length);
        return out;
    }

    @Override
    public String decode(int[] ids) {
        return inner.decode(ids);
    }

    @Override
    public int vocabSize() {
        return inner.vocabSize();
    }

    @Override
    public int tokenId(String token) {
        return inner.tokenId(token);
    }

    @Override
    public String token(int id) {
        return inner.token(id);
    }
}
