package dev.gmsa.bench;

import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.ModelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;

/**
 * {@code gmsa bench latency}: end-to-end answer latency of the original prompt against GMSA on the same
 * random-weight decoder (the paper's Table 7): compression, prefill and decode seconds shown apart,
 * medians over repeats, and speedup = original total / GMSA total.
 */
@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Answer latency, original prompt vs GMSA soft tokens, on a random-weight decoder (Table 7 style).")
final class LatencyCommand implements Callable<Integer> {
    /** Context tokens of the untimed first pass of both paths (JIT compilation of the same kernels). */
    private static final int WARMUP_CONTEXT = 256;

    @Spec
    CommandSpec spec;

    @Option(names = "--shape", defaultValue = "smollm-135m", description = "decoder shape: " + LatencyShapes.NAMES)
    String shape;

    @Option(names = "--context-tokens", defaultValue = "3000", description = "context length in tokens")
    int contextTokens;

    @Option(names = "--rate", defaultValue = "8", description = "compression rate r: ceil(window / r) soft tokens per window")
    int rate;

    @Option(names = "--encoder-layers", description = "encoder layers (default: a quarter of the decoder's, rounded up)")
    Integer encoderLayers;

    @Option(names = "--question-tokens", defaultValue = "16", description = "question tokens after the context")
    int questionTokens;

    @Option(names = "--answer-tokens", defaultValue = "32", description = "greedy answer tokens (no EOS stop)")
    int answerTokens;

    @Option(names = "--window", description = "compression window in tokens (default: the whole context, at most the decoder's positions)")
    Integer window;

    @Option(names = "--repeats", defaultValue = "3", description = "timed repeats of both paths (medians reported)")
    int repeats;

    @Option(names = "--threads", description = "worker threads (default: every core)")
    Integer threads;

    @Option(names = "--seed", defaultValue = "7", description = "seed of the weights and the random ids")
    long seed;

    @Override
    public Integer call() {
        ModelConfig config;
        LatencySettings settings;
        try {
            if (repeats < 1) throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
            config = LatencyShapes.config(shape);
            settings = new LatencySettings(contextTokens, rate,
                    encoderLayers != null ? encoderLayers : LatencySettings.defaultEncoderLayers(config),
                    questionTokens, answerTokens, window != null ? window : LatencySettings.defaultWindow(config, contextTokens))
                    .checkAgainst(config, shape);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (threads != null) Parallel.setThreads(threads);
        PrintWriter out = spec.commandLine().getOut();
        AnswerTiming[][] runs = measure(config, settings, out);
        printTable(out, settings, runs);
        printKeyValues(out, settings, runs);
        out.flush();
        return 0;
    }

    /** runs[0] the original prompt, runs[1] GMSA, one timing per repeat, after one short untimed pass of each. */
    private AnswerTiming[][] measure(ModelConfig config, LatencySettings settings, PrintWriter out) {
        AnswerLatencyBenchmark bench = new AnswerLatencyBenchmark(config, settings, seed);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] context = randomIds(rng, settings.contextTokens(), config.vocabSize());
        int[] question = randomIds(rng, settings.questionTokens(), config.vocabSize());
        int[] warmContext = Arrays.copyOf(context, Math.min(context.length, WARMUP_CONTEXT));
        bench.original(warmContext, question);
        bench.gmsa(warmContext, question);
        AnswerTiming[][] runs = new AnswerTiming[2][repeats];
        for (int r = 0; r < repeats; r++) {
            runs[0][r] = bench.original(context, question);
            runs[1][r] = bench.gmsa(context, question);
            out.printf("# repeat %d: original %.2f s, gmsa %.2f s%n", r + 1, runs[0][r].totalSeconds(), runs[1][r].totalSeconds());
            out.flush();
        }
        return runs;
    }

    /** Ids drawn from [3, vocab), clear of the usual special tokens. */
    static int[] randomIds(SplittableRandom rng, int n, int vocab) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = 3 + rng.nextInt(vocab - 3);
        return ids;
    }

    private void printTable(PrintWriter out, LatencySettings s, AnswerTiming[][] runs) {
        out.printf("%n| method | prompt tokens | compress s | prefill s | decode s | total s |%n");
        out.printf("|---|---|---|---|---|---|%n");
        out.printf("| original prompt | %d | - | %.3f | %.3f | %.3f |%n", runs[0][0].prefillTokens(),
                median(runs[0], AnswerTiming::prefillSeconds), median(runs[0], AnswerTiming::decodeSeconds), median(runs[0], AnswerTiming::totalSeconds));
        out.printf("| GMSA %dx (%d soft + %d question) | %d | %.3f | %.3f | %.3f | %.3f |%n%n", s.rate(), runs[1][0].softTokens(),
                s.questionTokens(), runs[1][0].prefillTokens(), median(runs[1], AnswerTiming::compressSeconds),
                median(runs[1], AnswerTiming::prefillSeconds), median(runs[1], AnswerTiming::decodeSeconds), median(runs[1], AnswerTiming::totalSeconds));
    }

    private void printKeyValues(PrintWriter out, LatencySettings s, AnswerTiming[][] runs) {
        AnswerTiming gmsa = runs[1][0];
        double originalTotal = median(runs[0], AnswerTiming::totalSeconds), gmsaTotal = median(runs[1], AnswerTiming::totalSeconds);
        out.printf("shape=%s%nthreads=%d%nrepeats=%d%ncontext_tokens=%d%nquestion_tokens=%d%nanswer_tokens=%d%nrate=%d%nwindow=%d%n",
                shape, Parallel.threads(), repeats, s.contextTokens(), s.questionTokens(), gmsa.answerTokens(), s.rate(), s.window());
        out.printf("soft_tokens=%d%nencoder_layers=%d%noriginal_prefill_tokens=%d%ngmsa_prefill_tokens=%d%n",
                gmsa.softTokens(), s.encoderLayers(), runs[0][0].prefillTokens(), gmsa.prefillTokens());
        out.printf("original_prefill_s=%.6f%noriginal_decode_s=%.6f%noriginal_total_s=%.6f%n",
                median(runs[0], AnswerTiming::prefillSeconds), median(runs[0], AnswerTiming::decodeSeconds), originalTotal);
        out.printf("gmsa_compress_s=%.6f%ngmsa_prefill_s=%.6f%ngmsa_decode_s=%.6f%ngmsa_total_s=%.6f%nspeedup=%.2f%n",
                median(runs[1], AnswerTiming::compressSeconds), median(runs[1], AnswerTiming::prefillSeconds),
                median(runs[1], AnswerTiming::decodeSeconds), gmsaTotal, originalTotal / gmsaTotal);
    }

    /** Median of one column over the repeats (each column separately, so the parts need not add up to the total). */
    private static double median(AnswerTiming[] runs, ToDoubleFunction<AnswerTiming> column) {
        double[] s = Arrays.stream(runs).mapToDouble(column).toArray();
        Arrays.sort(s);
        return new RunTimes(s).median();
    }
}
