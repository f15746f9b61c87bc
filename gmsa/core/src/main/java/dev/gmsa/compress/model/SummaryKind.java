package dev.gmsa.compress.model;

/** How the encoder's states become summary vectors. */
public enum SummaryKind {
    /** GMSA: average consecutive groups of r last hidden states (the last group may be shorter). */
    GROUP_MERGING,
    /** The traditional paradigm (TCP-AE, ICAE): L/r learned memory tokens appended to the context; their last states. */
    MEMORY_TOKENS
}
