package dev.gmsa.compress.train;

/** Every training stage's recipe, in one place (see bench/RESULTS.md for the runs that chose them). */
public final class Recipes {
    private Recipes() {}

    /**
     * The shipped decoder (pretrain --corpus): 6 layers x 288, 8,192-token BPE, packed 512-token sequences of
     * text / copy / QA segments (0.5 / 0.3 / 0.2). 2,400 steps x 4 x 512 = 4.9 M tokens, ~1.4 passes over the corpus.
     */
    public static final Recipe DECODER_PRETRAIN = new Recipe("pretrain", 2400, 4, 1.5e-3f, 100, 1f, 0.1f);

    /** The embedded word-level decoder of generated stories (pretrain without --corpus; tests and toy runs). */
    public static final Recipe EMBEDDED_PRETRAIN = new Recipe("pretrain-embedded", 3000, 16, 1e-3f, 150, 1f, 0.01f);

    /**
     * Autoencoder training (train-ae): a long warm-up (40% of the steps), without which the loss sits on its plateau
     * (bench/RESULTS.md, the embedded default's evidence), a high peak learning rate for LoRA + LSA, clip 2.
     */
    public static final Recipe AUTOENCODER = new Recipe("ae", 3000, 8, 3e-3f, 1200, 2f, 0f);

    /**
     * KEFT (train-keft, and the original-prompt baseline with the same budget): W_Q/W_K/W_V deltas of the decoder at a
     * learning rate far above Appendix D's 1e-5, which moved nothing in a few hundred steps at this scale.
     */
    public static final Recipe KEFT = new Recipe("keft", 300, 8, 1e-3f, 15, 2f, 0f);
}
