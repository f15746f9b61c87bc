package dev.gmsa.transformer.tokenizer;

/**
 * Text to token ids and back. {@link #encode} adds no special tokens (no BOS/EOS), like Hugging Face's
 * {@code add_special_tokens=False}; added/special tokens written literally in the text are recognised.
 */
public interface Tokenizer {
    int[] encode(String text);

    /** The text of these ids; special tokens are kept as their literal content. */
    String decode(int[] ids);

    /** One more than the largest id (model vocabulary plus added tokens). */
    int vocabSize();

    /** The id of a token string (model or added token), or -1. */
    int tokenId(String token);

    /** The string of one id as the vocabulary stores it (byte-level or "▁" form), or null when unused. */
    String token(int id);
}
