package dev.gmsa.bench;

import dev.gmsa.transformer.ModelConfig;

/**
 * Random-weight decoder shapes for {@code gmsa bench latency}: the shapes of {@link ModelBenchCommand} with the
 * real vocabulary and room for a long context. Speed depends only on the shape, so random weights time it.
 */
final class LatencyShapes {
    /** Positions of every latency shape: a 3,000-token context plus question and answer must fit (RoPE tables only). */
    static final int MAX_POSITIONS = 8192;

    static final String NAMES = "smollm-135m, stories15m, stories260k";

    private LatencyShapes() {}

    static ModelConfig config(String name) {
        return switch (name) {
            // SmolLM-135M: 576d, 30 layers, 9 heads / 3 KV heads, ffn 1536, vocab 49152, tied, rope_theta 10000
            case "smollm-135m" -> resized(ModelBenchCommand.config("smollm"), 49152);
            // stories15M: 288d, 6 layers, 6 heads, ffn 768, vocab 32000
            case "stories15m" -> resized(ModelBenchCommand.config("stories15M"), 32000);
            case "stories260k" -> resized(ModelBenchCommand.config("stories260K"), 512);
            default -> throw new IllegalArgumentException("unknown shape " + name + " (" + NAMES + ")");
        };
    }

    /** The same shape with another vocabulary size and {@link #MAX_POSITIONS} positions. */
    static ModelConfig resized(ModelConfig c, int vocab) {
        return c.toBuilder().vocabSize(vocab).maxPositionEmbeddings(MAX_POSITIONS).build();
    }
}
