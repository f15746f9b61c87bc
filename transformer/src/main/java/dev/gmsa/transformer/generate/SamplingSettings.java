package dev.gmsa.transformer.generate;

/**
 * How the next token is chosen. Greedy takes the argmax; otherwise logits are divided by the temperature,
 * cut to the topK best (0 = all) and to the smallest set whose probability reaches topP (1 = all), then sampled.
 */
public record SamplingSettings(boolean greedy, float temperature, int topK, float topP, long seed) {
    public SamplingSettings {
        if (!greedy && !(temperature > 0)) throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
        if (topK < 0) throw new IllegalArgumentException("top-k must be >= 0, got " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
    }

    public static SamplingSettings greedyDecoding() {
        return new SamplingSettings(true, 1f, 0, 1f, 0);
    }
}
