package dev.gmsa.bench;

/**
 * One answer timed end to end, split like the paper's Table 7: compressing the context (zero for the original
 * prompt), the decoder's prefill of its prompt, and the greedy decode of the answer. The lengths record what
 * was timed: soft tokens made, prompt positions prefilled, answer tokens generated.
 */
record AnswerTiming(double compressSeconds, double prefillSeconds, double decodeSeconds,
                    int softTokens, int prefillTokens, int answerTokens) {
    double totalSeconds() {
        return compressSeconds + prefillSeconds + decodeSeconds;
    }
}
