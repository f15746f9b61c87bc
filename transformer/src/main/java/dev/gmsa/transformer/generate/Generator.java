package dev.gmsa.transformer.generate;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.KvCache;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Autoregressive decoding with a KV cache: one batched prefill of the prompt (token ids or embedding
 * vectors), then one token at a time until EOS, a stop string or the token limit. Text is streamed as it
 * becomes printable.
 */
public final class Generator {
    /** Everything a generation produced, with its timings. */
    public record Result(int[] ids, String text, String stopReason, int promptTokens, double prefillSeconds, double decodeSeconds) {
        public double prefillTokensPerSecond() {
            return prefillSeconds > 0 ? promptTokens / prefillSeconds : 0;
        }

        /** Decoded tokens per second (the first token comes from the prefill and is not counted). */
        public double decodeTokensPerSecond() {
            return decodeSeconds > 0 ? Math.max(ids.length - 1, 0) / decodeSeconds : 0;
        }
    }

    public record Request(int maxNewTokens, SamplingSettings sampling, Set<Integer> eosIds, List<String> stopStrings) {
        public Request {
            if (maxNewTokens < 0) throw new IllegalArgumentException("generate: max new tokens must be >= 0, got " + maxNewTokens);
            // an empty stop string would match before the first token and end every generation at once
            for (String stop : stopStrings)
                if (stop.isEmpty()) throw new IllegalArgumentException("generate: a stop string is empty");
        }
    }

    private final Transformer model;
    private final Tokenizer tokenizer;

    /** @param tokenizer turns ids into streamed text; null generates ids only */
    public Generator(Transformer model, Tokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /** Continues a prompt of token ids. */
    public Result generate(int[] promptIds, Request request, Consumer<String> stream) {
        if (promptIds.length == 0) throw new IllegalArgumentException("generate: the prompt is empty");
        try (var noGrad = Grad.disabled()) {
            return run(model.embed(Tensor.ofInts(promptIds, 1, promptIds.length)), request, stream);
        }
    }

    /** Continues a prompt given as embeddings [1, T, D] (soft tokens followed by embedded text, say). */
    public Result generate(Var promptEmbeddings, Request request, Consumer<String> stream) {
        try (var noGrad = Grad.disabled()) {
            return run(promptEmbeddings, request, stream);
        }
    }

    private Result run(Var prompt, Request request, Consumer<String> stream) {
        int promptLength = prompt.size(1);
        KvCache cache = new KvCache(model.config(), 1, promptLength + request.maxNewTokens());
        Sampler sampler = new Sampler(request.sampling());
        long t0 = System.nanoTime();
        Var logits = model.nextTokenLogits(prompt, 0, cache);
        long t1 = System.nanoTime();
        List<Integer> out = new ArrayList<>();
        TextStream text = new TextStream(tokenizer, stream);
        String reason = "length";
        while (out.size() < request.maxNewTokens()) {
            int next = nextToken(sampler, request.sampling(), logits);
            if (request.eosIds().contains(next)) { reason = "eos"; break; }
            out.add(next);
            if (text.append(next, request.stopStrings())) { reason = "stop"; break; }
            if (out.size() == request.maxNewTokens()) break;
            logits = model.nextTokenLogits(model.embed(Tensor.ofInts(new int[] {next}, 1, 1)), cache.length(), cache);
        }
        long t2 = System.nanoTime();
        text.flush();
        int[] ids = out.stream().mapToInt(Integer::intValue).toArray();
        return new Result(ids, text.text(), reason, promptLength, (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /**
     * The token after logits [1, V]: greedy picks the first maximum where the logits live (one id comes back to
     * the host, not V scores, which matters on a GPU); sampling reads the row and draws on the host.
     */
    private static int nextToken(Sampler sampler, SamplingSettings sampling, Var logits) {
        Tensor row = logits.value().select(0, 0);
        if (sampling.greedy()) return row.argmax(0, false).toIntArray()[0];
        return sampler.next(row.toFloatArray());
    }
}
