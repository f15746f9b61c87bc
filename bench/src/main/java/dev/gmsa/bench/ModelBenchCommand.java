package dev.gmsa.bench;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.AdamW;
import dev.gmsa.autograd.optim.ParamGroup;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code gmsa bench model}: whole-model speed on random weights in the peers' shapes (see
 * /work/shared/peers/README.md): batch-1 prefill and greedy decode tokens/s, and one training step
 * (forward + backward + AdamW) in ms. Speed depends only on the shape, so random weights are enough.
 */
@Command(name = "model", mixinStandardHelpOptions = true,
        description = "Prefill/decode tok/s and training-step time of a random-weight LLaMA in a peer's shape.")
final class ModelBenchCommand implements Callable<Integer> {
    @Option(names = "--shape", defaultValue = "stories15M",
            description = "stories15M (288d, 6L, 6H, ffn 768, V 32000), smollm (576d, 30L, 9H/3KV, ffn 1536, V 32000), "
                    + "stories260K, or llama1b (Llama-3.2-1B: 2048d, 16L, 32H/8KV, ffn 8192, V 128256; 4.9 GB of F32)")
    String shape;

    @picocli.CommandLine.Mixin
    dev.gmsa.cli.DeviceOption device = new dev.gmsa.cli.DeviceOption();

    @Option(names = "--threads", defaultValue = "1", description = "worker threads (Parallel.setThreads)")
    int threads;

    @Option(names = "--what", defaultValue = "prefill,decode,train", split = ",",
            description = "which measurements: prefill, decode, train")
    List<String> what;

    @Option(names = "--prompt", defaultValue = "128", description = "prompt tokens for prefill and decode")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "128", description = "greedy tokens per decode run")
    int newTokens;

    @Option(names = "--batch", defaultValue = "4", description = "training batch size")
    int batch;

    @Option(names = "--seq", defaultValue = "256", description = "training sequence length")
    int seq;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs (median reported)")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed runs first (JIT compilation)")
    int warmup;

    static ModelConfig config(String shape) {
        return switch (shape) {
            case "stories15M" -> llama(288, 768, 6, 6, 6, 32000, 1024);
            case "smollm" -> llama(576, 1536, 30, 9, 3, 32000, 2048);
            case "stories260K" -> llama(64, 172, 5, 8, 4, 512, 512);
            case "llama1b" -> llama(2048, 8192, 16, 32, 8, 128256, 4096);
            default -> throw new IllegalArgumentException("unknown shape " + shape + " (stories15M, smollm, stories260K, llama1b)");
        };
    }

    private static ModelConfig llama(int d, int ff, int layers, int heads, int kv, int vocab, int positions) {
        return ModelConfig.builder().hiddenSize(d).intermediateSize(ff).numLayers(layers).numHeads(heads)
                .numKeyValueHeads(kv).vocabSize(vocab).maxPositionEmbeddings(positions)
                .tieWordEmbeddings(true).bosTokenIds(1).eosTokenIds(2).build();
    }

    @Override
    public Integer call() {
        Parallel.setThreads(threads);
        ModelConfig config = config(shape);
        var backend = device.apply(); // the weights are made on the chosen device
        Transformer model = Transformer.randomInit(config, 7);
        System.out.printf("shape=%s device=%s threads=%d runs=%d%n", shape, backend.name(), threads, runs);
        if (what.contains("prefill")) prefill(model);
        if (what.contains("decode")) decode(model);
        if (what.contains("train")) train(model);
        return 0;
    }

    private int[] randomIds(long seed, int n, int vocab) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = 3 + rng.nextInt(vocab - 3);
        return ids;
    }

    private Generator.Result generate(Transformer model, int maxNew) {
        Generator generator = new Generator(model, null);
        Generator.Request request = new Generator.Request(maxNew, SamplingSettings.greedyDecoding(), Set.of(), List.of());
        return generator.generate(randomIds(1, promptTokens, model.config().vocabSize()), request, s -> {});
    }

    private void prefill(Transformer model) {
        RunTimes t = RunTimes.measure(warmup, runs, () -> generate(model, 1));
        System.out.printf("prefill_tokens=%d prefill_tok_s=%.1f prefill_ms=%.2f (min %.2f max %.2f)%n", promptTokens,
                promptTokens / t.median(), t.median() * 1e3, t.min() * 1e3, t.max() * 1e3);
    }

    private void decode(Transformer model) {
        for (int i = 0; i < warmup; i++) generate(model, newTokens);
        double[] rates = new double[runs];
        for (int i = 0; i < runs; i++) rates[i] = generate(model, newTokens).decodeTokensPerSecond();
        java.util.Arrays.sort(rates);
        System.out.printf("decode_tokens=%d decode_tok_s=%.1f (min %.1f max %.1f)%n", newTokens, rates[runs / 2], rates[0], rates[runs - 1]);
    }

    private void train(Transformer model) {
        ModelConfig c = model.config();
        List<Var> params = new ArrayList<>(model.parameters().values());
        AdamW optimizer = new AdamW(List.of(new ParamGroup(params, 1e-4f, 0.01f)));
        int[] ids = randomIds(2, batch * (seq + 1), c.vocabSize());
        int[] inputs = new int[batch * seq], targets = new int[batch * seq];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(ids, b * (seq + 1), inputs, b * seq, seq);
            System.arraycopy(ids, b * (seq + 1) + 1, targets, b * seq, seq);
        }
        Tensor input = Tensor.ofInts(inputs, batch, seq), target = Tensor.ofInts(targets, batch * seq);
        double[] forwardMs = new double[runs];
        int[] timed = {-1};
        RunTimes t = RunTimes.measure(warmup, runs, () -> {
            optimizer.zeroGrad();
            long t0 = System.nanoTime();
            Var loss = model.forward(input, 0, null).reshape(batch * seq, c.vocabSize()).crossEntropy(target, -100);
            long t1 = System.nanoTime();
            if (timed[0] >= 0 && timed[0] < runs) forwardMs[timed[0]] = (t1 - t0) * 1e-6;
            timed[0]++;
            loss.backward();
            optimizer.step();
        });
        java.util.Arrays.sort(forwardMs);
        System.out.printf("train_batch=%dx%d train_step_ms=%.1f (min %.1f max %.1f) train_tok_s=%.0f forward_ms=%.1f%n",
                batch, seq, t.median() * 1e3, t.min() * 1e3, t.max() * 1e3, batch * seq / t.median(), forwardMs[runs / 2]);
        try (var noGrad = Grad.disabled()) {
            long t0 = System.nanoTime();
            model.forward(input, 0, null).reshape(batch * seq, c.vocabSize()).crossEntropy(target, -100).item();
            System.out.printf("inference_forward_ms=%.1f%n", (System.nanoTime() - t0) * 1e-6);
        }
    }
}
