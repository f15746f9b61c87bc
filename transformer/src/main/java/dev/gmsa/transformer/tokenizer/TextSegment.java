package dev.gmsa.transformer.tokenizer;

/** A piece of input after splitting out added tokens: either plain text for the model or one added token id. */
record TextSegment(String text, int addedTokenId, boolean atStart) {
    static TextSegment text(String text, boolean atStart) {
        return new TextSegment(text, -1, atStart);
    }

    static TextSegment token(int id) {
        return new TextSegment(null, id, false);
    }

    boolean isToken() {
        return addedTokenId >= 0;
    }
}
