package dev.gmsa.bench;

import dev.gmsa.compress.model.Compressor;
import dev.gmsa.transformer.ModelConfig;

/**
 * What one answer-latency measurement feeds the decoder: a context of {@code contextTokens} random ids
 * compressed at {@code rate} by an encoder of {@code encoderLayers} layers, window by window, then a question
 * of {@code questionTokens} ids and {@code answerTokens} greedily generated ones. Checked against the decoder.
 */
record LatencySettings(int contextTokens, int rate, int encoderLayers, int questionTokens, int answerTokens, int window) {
    LatencySettings {
        require(contextTokens >= 1, "--context-tokens must be >= 1, got " + contextTokens);
        require(rate >= 1, "--rate must be >= 1, got " + rate);
        require(encoderLayers >= 1, "--encoder-layers must be >= 1, got " + encoderLayers);
        require(questionTokens >= 0, "--question-tokens must be >= 0, got " + questionTokens);
        require(answerTokens >= 1, "--answer-tokens must be >= 1, got " + answerTokens);
        require(window >= 1, "--window must be >= 1, got " + window);
    }

    /** The paper's proportion (8 encoder layers of LLaMA-2's 32): a quarter of the decoder's layers, rounded up. */
    static int defaultEncoderLayers(ModelConfig decoder) {
        return (decoder.numLayers() + 3) / 4;
    }

    /** The whole context in one window when the decoder's positions allow it. */
    static int defaultWindow(ModelConfig decoder, int contextTokens) {
        return Math.min(contextTokens, decoder.maxPositionEmbeddings());
    }

    /** Throws an IllegalArgumentException naming the option when these settings cannot run on {@code decoder}. */
    LatencySettings checkAgainst(ModelConfig decoder, String shape) {
        require(encoderLayers <= decoder.numLayers(), "--encoder-layers " + encoderLayers + " exceeds the "
                + decoder.numLayers() + " layers of the " + shape + " decoder");
        int positions = decoder.maxPositionEmbeddings();
        require(window <= positions, "--window " + window + " exceeds the " + positions + " positions of the " + shape + " encoder");
        // the baseline reads the whole context, so it must fit even when GMSA compresses window by window
        require(originalPromptTokens() + answerTokens <= positions, "the original prompt needs " + (originalPromptTokens() + answerTokens)
                + " positions (--context-tokens " + contextTokens + " + --question-tokens " + questionTokens + " + --answer-tokens "
                + answerTokens + "), the " + shape + " decoder has " + positions + " (max_position_embeddings)");
        return this;
    }

    /** Soft tokens of the whole context: ceil(w / rate) for each window w. */
    int softTokens() {
        int full = contextTokens / window, rest = contextTokens % window;
        return full * Compressor.softTokenCount(window, rate) + (rest == 0 ? 0 : Compressor.softTokenCount(rest, rate));
    }

    /** Prefill length of the original prompt: [context][question]. */
    int originalPromptTokens() {
        return contextTokens + questionTokens;
    }

    /** Prefill length of the compressed prompt: [soft tokens][question]. */
    int gmsaPromptTokens() {
        return softTokens() + questionTokens;
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
