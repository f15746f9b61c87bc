package dev.gmsa.transformer.tokenizer;

/** What every BPE tokenizer shares: the model's vocabulary plus added tokens, looked up by id or content. */
abstract class BpeVocabulary implements Tokenizer {
    protected final BpeModel model;
    protected final AddedTokens addedTokens;

    BpeVocabulary(BpeModel model, AddedTokens addedTokens) {
        this.model = model;
        this.addedTokens = addedTokens;
    }

    @Override
    public int vocabSize() {
        return Math.max(model.size(), addedTokens.maxId() + 1);
    }

    @Override
    public int tokenId(String token) {
        AddedToken added = addedTokens.byContent(token);
        return added != null ? added.id() : model.idOf(token);
    }

    @Override
    public String token(int id) {
        AddedToken added = addedTokens.byId(id);
        return added != null ? added.content() : model.tokenOf(id);
    }
}
