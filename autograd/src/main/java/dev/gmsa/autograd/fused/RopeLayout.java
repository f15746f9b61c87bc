package dev.gmsa.autograd.fused;

/**
 * How a head's dimensions pair up under rotary embeddings.
 * HALF_SPLIT pairs i with i + d/2 (Hugging Face "rotate_half"); INTERLEAVED pairs 2i with 2i+1 (Meta, llama2.c).
 */
public enum RopeLayout {
    HALF_SPLIT, INTERLEAVED
}
