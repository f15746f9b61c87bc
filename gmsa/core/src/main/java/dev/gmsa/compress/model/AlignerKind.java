package dev.gmsa.compress.model;

/** What maps summary vectors into the decoder's input-embedding space. */
public enum AlignerKind {
    /** Layer Semantic Alignment: transformer blocks initialised from the decoder's first k blocks, fully trained. */
    LSA,
    /** LSA blocks with random initial weights (an ablation). */
    LSA_RANDOM,
    /** A two-layer MLP (TCP-AE's coarse alignment; the "w/o LSA" ablation). */
    MLP,
    /** Nothing: summary vectors go straight in (ICAE). */
    NONE
}
