package dev.gmsa.compress.model;

/**
 * One compression method: GMSA, a baseline or an ablation. All share the encoder (the first
 * {@code encoderLayers} layers of a checkpoint, LoRA-trained) and the training loop, so comparisons are fair.
 */
public record CompressorSpec(String name, SummaryKind summary, AlignerKind aligner, int encoderLayers, int lsaLayers,
                             LoraSettings lora) {
    public CompressorSpec {
        if (encoderLayers < 1) throw new IllegalArgumentException(name + ": encoder needs at least one layer, got " + encoderLayers);
        boolean lsa = aligner == AlignerKind.LSA || aligner == AlignerKind.LSA_RANDOM;
        if (lsa && lsaLayers < 1) throw new IllegalArgumentException(name + ": LSA needs at least one block, got " + lsaLayers);
    }

    public static CompressorSpec gmsa(int encoderLayers, int lsaLayers, LoraSettings lora) {
        return new CompressorSpec("gmsa", SummaryKind.GROUP_MERGING, AlignerKind.LSA, encoderLayers, lsaLayers, lora);
    }

    /** Traditional compression paradigm autoencoder: memory tokens read from the encoder's last layer, MLP alignment. */
    public static CompressorSpec tcpAe(int encoderLayers, LoraSettings lora) {
        return new CompressorSpec("tcp-ae", SummaryKind.MEMORY_TOKENS, AlignerKind.MLP, encoderLayers, 0, lora);
    }

    /** ICAE as published: memory tokens, their last hidden states go in directly. */
    public static CompressorSpec icae(int encoderLayers, LoraSettings lora) {
        return new CompressorSpec("icae", SummaryKind.MEMORY_TOKENS, AlignerKind.NONE, encoderLayers, 0, lora);
    }

    /** Table 4's ablations of the architecture. */
    public static CompressorSpec withoutGroupMerging(int encoderLayers, int lsaLayers, LoraSettings lora) {
        return new CompressorSpec("gmsa-no-merging", SummaryKind.MEMORY_TOKENS, AlignerKind.LSA, encoderLayers, lsaLayers, lora);
    }

    public static CompressorSpec withoutLsa(int encoderLayers, LoraSettings lora) {
        return new CompressorSpec("gmsa-no-lsa", SummaryKind.GROUP_MERGING, AlignerKind.MLP, encoderLayers, 0, lora);
    }

    public static CompressorSpec randomLsa(int encoderLayers, int lsaLayers, LoraSettings lora) {
        return new CompressorSpec("gmsa-random-lsa", SummaryKind.GROUP_MERGING, AlignerKind.LSA_RANDOM, encoderLayers, lsaLayers, lora);
    }
}
