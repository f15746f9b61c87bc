package dev.gmsa.compress.model;

import java.util.List;

/** LoRA on the encoder: rank, alpha, dropout and which projections ("q_proj", "v_proj", ...) get adapters. */
public record LoraSettings(int rank, float alpha, float dropout, List<String> targets) {
    public static final List<String> ALL_TARGETS = List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraSettings {
        targets = List.copyOf(targets);
        for (String t : targets)
            if (!ALL_TARGETS.contains(t)) throw new IllegalArgumentException("unknown LoRA target " + t + " (known: " + ALL_TARGETS + ")");
    }

    public static LoraSettings defaults() {
        return new LoraSettings(8, 16f, 0.05f, List.of("q_proj", "k_proj", "v_proj", "o_proj"));
    }
}
