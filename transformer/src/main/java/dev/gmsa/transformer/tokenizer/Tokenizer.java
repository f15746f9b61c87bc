package dev.gmsa.transformer.tokenizer;

/**
 * Text to token ids and back. {@link #encode} adds no special tokens (no BOS/EOS), like Hugging Face's
 * {@code add_special_tokens=False}; added/special tokens written literally in the text are recognised.
 * {@link #encodeWithSpecialTokens} is Hugging Face's default {@code tokenizer(text)}.
 */
public interface Tokenizer {
    int[] encode(String text);

    /**
     * The ids Hugging Face's {@code tokenizer(text)} gives (add_special_tokens=True): {@link #encode} wrapped in the
     * tokenizer's post-processor template, e.g. a BOS in front. Without a template it is {@link #encode}.
     */
    default int[] encodeWithSpecialTokens(String text) {
        return encode(text);
    }

    /** The text of these ids; special tokens are kept as their literal content. */
    String decode(int[] ids);

    /** One more than the largest id (model vocabulary plus added tokens). */
    int vocabSize();

    /** The id of a token string (model or added token), or -1. */
    int tokenId(String token);

    /** The string of one id as the vocabulary stores it (byte-level or "▁" form), or null when unused. */
    String token(int id);
}
