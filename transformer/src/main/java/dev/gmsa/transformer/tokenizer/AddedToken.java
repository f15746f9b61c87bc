package dev.gmsa.transformer.tokenizer;

/**
 * A token matched in the raw text before the model sees it (e.g. {@code <|im_start|>}).
 *
 * @param lstrip the match swallows whitespace on its left
 * @param rstrip the match swallows whitespace on its right
 */
public record AddedToken(int id, String content, boolean special, boolean lstrip, boolean rstrip) {
    public AddedToken {
        if (content == null || content.isEmpty()) throw new IllegalArgumentException("added token " + id + " has empty content");
        if (id < 0) throw new IllegalArgumentException("added token '" + content + "' has negative id " + id);
    }
}
