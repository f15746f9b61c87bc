package dev.gmsa.bench;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answer latency of one random-weight decoder reading a context two ways: the original prompt
 * [context][question], and GMSA's [soft tokens][question] after compressing the context. The compressor is
 * built as GmsaSystem.create builds it: the encoder is the first layers of the same model (frozen, LoRA rank 8),
 * the aligner one LSA block copied from the decoder. Everything runs without gradients; the answer is greedy
 * with no EOS, so both paths generate exactly {@code answerTokens} tokens.
 */
final class AnswerLatencyBenchmark {
    private final LatencySettings settings;
    private final Transformer decoder;
    private final Compressor compressor;

    AnswerLatencyBenchmark(ModelConfig config, LatencySettings settings, long seed) {
        this.settings = settings;
        this.decoder = Transformer.randomInit(config, seed);
        Map<String, Tensor> encoderWeights = new LinkedHashMap<>();
        decoder.parameters().forEach((name, v) -> encoderWeights.put(name, v.value()));
        CompressorSpec spec = CompressorSpec.gmsa(settings.encoderLayers(), 1, LoraSettings.defaults());
        this.compressor = new Compressor(spec, config, encoderWeights, decoder, settings.softTokens(), seed + 1);
        compressor.setTraining(false); // no LoRA dropout at inference
    }

    /** [context][question] straight into the decoder. */
    AnswerTiming original(int[] context, int[] question) {
        int[] prompt = concat(context, question);
        long t0 = System.nanoTime();
        Generator.Result answer = new Generator(decoder, null).generate(prompt, answerRequest(), s -> {});
        return timing(0, t0, answer, 0);
    }

    /** The context compressed to soft tokens (window by window), then [soft tokens][question] into the decoder. */
    AnswerTiming gmsa(int[] context, int[] question) {
        try (var noGrad = Grad.disabled()) {
            long t0 = System.nanoTime();
            Var softTokens = compressor.compressWindows(context, settings.rate(), settings.window());
            long t1 = System.nanoTime();
            Var prompt = question.length == 0 ? softTokens
                    : Var.concat(1, softTokens, decoder.embed(Tensor.ofInts(question, 1, question.length)));
            Generator.Result answer = new Generator(decoder, null).generate(prompt, answerRequest(), s -> {});
            return timing((t1 - t0) * 1e-9, t1, answer, softTokens.size(1));
        }
    }

    /**
     * Prefill is everything the call did before its first decode step (embedding the prompt, allocating the KV
     * cache, the batched forward), so compress + prefill + decode is the wall time of the whole answer.
     */
    private static AnswerTiming timing(double compressSeconds, long prefillStart, Generator.Result answer, int softTokens) {
        double callSeconds = (System.nanoTime() - prefillStart) * 1e-9;
        double prefill = callSeconds - answer.decodeSeconds();
        return new AnswerTiming(compressSeconds, prefill, answer.decodeSeconds(), softTokens, answer.promptTokens(), answer.ids().length);
    }

    private Generator.Request answerRequest() {
        return new Generator.Request(settings.answerTokens(), SamplingSettings.greedyDecoding(), Set.of(), List.of());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
