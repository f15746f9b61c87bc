package dev.gmsa.bench;

import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.Evaluation;
import dev.gmsa.compress.pipeline.GmsaManifest;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.compress.pipeline.TrainingTexts;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The autoencoder evidence in one command: every method (and LSA depth) trained with the same
 * budget against one frozen decoder, over several seeds and context lengths, then scored on held-out text at
 * each rate (teacher-forced loss next to the loss without soft tokens, greedy BLEU and prefix-EM, and the
 * same texts shifted by one token). Writes a markdown table and one convergence plot per context length.
 */
@Command(name = "ae-sweep", mixinStandardHelpOptions = true,
        description = "Train and score autoencoder variants on held-out text; prints key=value lines and a table.")
final class AeSweepCommand implements Callable<Integer> {
    @Option(names = "--decoder", required = true, description = "decoder model folder (bin/gmsa pretrain output or Hugging Face layout)")
    Path decoder;
    @Option(names = "--data", description = "JSONL {\"text\": ...}; its last --heldout documents are never trained on (default: generated stories)")
    Path data;
    @Option(names = "--heldout", defaultValue = "40", description = "held-out texts scored per run") int heldout;
    @Option(names = "--methods", split = ",", defaultValue = "gmsa,tcp-ae") List<String> methods;
    @Option(names = "--context-tokens", split = ",", defaultValue = "32") List<Integer> contexts;
    @Option(names = "--rates", split = ",", defaultValue = "4,8", description = "rates drawn per training example; each is scored") List<Integer> rates;
    @Option(names = "--seeds", split = ",", defaultValue = "1") List<Long> seeds;
    @Option(names = "--steps", defaultValue = "1000") int steps;
    @Option(names = "--batch", defaultValue = "8") int batch;
    @Option(names = "--lr", defaultValue = "2e-3") float lr;
    @Option(names = "--warmup", defaultValue = "0", description = "warm-up steps (default: 5%% of steps)") int warmup;
    @Option(names = "--encoder-layers", defaultValue = "0", description = "0: all decoder layers") int encoderLayers;
    @Option(names = "--lsa-layers", split = ",", defaultValue = "1", description = "LSA depths (methods with LSA run once per depth)") List<Integer> lsaLayers;
    @Option(names = "--lora-rank", defaultValue = "8") int loraRank;
    @Option(names = "--lora-targets", split = ",", defaultValue = "q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj") List<String> loraTargets;
    @Option(names = "--shift", description = "also score the held-out texts shifted by one token (group boundaries move)") boolean shift;
    @Option(names = "--any-start", description = "generated training windows start at a random token (default: at a story's start)") boolean anyStart;
    @Option(names = "--show", defaultValue = "0", description = "print this many held-out texts and their restatements per run") int show;
    @Option(names = "--threads") Integer threads;
    @Option(names = "--out", defaultValue = "runs/ae-sweep") Path out;

    /** One scored (run, rate): the figures the table averages over seeds. */
    private record Score(String method, int context, int rate, boolean shifted, long seed, Evaluation.Reconstruction r) {}

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        for (String m : methods) Methods.spec(m, 1, 1, null); // unknown names fail before any training
        Files.createDirectories(out);
        List<Score> scores = new ArrayList<>();
        for (int context : contexts) {
            Map<String, List<float[]>> curves = new LinkedHashMap<>();
            for (String method : methods)
                for (int lsa : depthsFor(method))
                    for (long seed : seeds) scores.addAll(run(method, lsa, context, seed, curves));
            writeConvergencePlot(context, curves);
        }
        String table = table(scores);
        System.out.println(table);
        Files.writeString(out.resolve("results.md"), table);
        return 0;
    }

    private List<Integer> depthsFor(String method) {
        boolean hasLsa = method.equals("gmsa") || method.equals("gmsa-no-merging") || method.equals("gmsa-random-lsa");
        return hasLsa ? lsaLayers : List.of(1);
    }

    private List<Score> run(String method, int lsa, int context, long seed, Map<String, List<float[]>> curves) throws IOException {
        String label = lsaLayers.size() > 1 && depthsFor(method).size() > 1 ? method + "-k" + lsa : method;
        int layers = encoderLayers > 0 ? encoderLayers : dev.gmsa.loaders.ModelConfigLoader.load(decoder).numLayers();
        var spec = Methods.spec(method, layers, lsa, new LoraSettings(loraRank, 2f * loraRank, 0.05f, loraTargets));
        var manifest = GmsaManifest.of(spec, decoder.toString(), decoder.toString(), rates, EmbeddedDefault.INSTRUCTION.strip(), context, context);
        try (GmsaSystem system = GmsaSystem.create(manifest, seed)) {
            Tokenizer tokenizer = system.decoderTokenizer();
            Split split = split(tokenizer, context, seed);
            var task = new AutoencoderTraining.Task(batch, rates.stream().mapToInt(Integer::intValue).toArray(), system.instructionIds(), system.eos());
            var settings = TrainingLoop.Settings.of(steps, lr).warmup(warmup > 0 ? warmup : Math.max(1, steps / 20)).clip(2f).seed(seed);
            var result = AutoencoderTraining.train(system.compressor(), system.decoderModel(), split.training()::draw, task, settings, null);
            curves.computeIfAbsent(label, k -> new ArrayList<>()).add(result.losses());
            List<Score> scores = new ArrayList<>();
            for (int rate : rates) {
                for (boolean shifted : shift ? new boolean[] {false, true} : new boolean[] {false}) {
                    var r = Evaluation.reconstruction(system.compressor(), system.decoderModel(), tokenizer,
                            shifted ? split.shiftedHeldOut() : split.heldOut(), rate, system.instructionIds(), system.eos());
                    String key = label + "_ctx" + context + "_r" + rate + (shifted ? "_shift1" : "") + "_seed" + seed;
                    System.out.printf("%s_loss=%.4f%n%s_loss_bare=%.4f%n%s_info_nats=%.4f%n%s_bleu=%.4f%n%s_prefix_em=%.4f%n",
                            key, r.loss(), key, r.lossWithoutSoftTokens(), key, r.informationNats(), key, r.bleu(), key, r.prefixExactMatch());
                    for (int i = 0; i < Math.min(show, r.texts()); i++)
                        System.out.printf("# %s text:     %s%n# %s restated: %s%n", key, r.references().get(i), key, r.hypotheses().get(i));
                    scores.add(new Score(label, context, rate, shifted, seed, r));
                }
            }
            return scores;
        }
    }

    /** Training texts, and held-out texts of exactly context + 1 tokens (the shifted copy drops the first). */
    private record Split(TrainingTexts training, List<int[]> heldOut, List<int[]> shiftedHeldOut) {}

    private Split split(Tokenizer tokenizer, int context, long seed) throws IOException {
        List<int[]> windows = new ArrayList<>();
        TrainingTexts training;
        if (data != null) {
            List<int[]> docs = TrainingTexts.readDocuments(data, tokenizer);
            if (docs.size() <= heldout) throw new IllegalArgumentException(data + ": " + docs.size() + " documents, need more than --heldout " + heldout);
            List<int[]> trainDocs = docs.subList(0, docs.size() - heldout);
            for (int[] doc : docs.subList(docs.size() - heldout, docs.size())) if (doc.length > context) windows.add(Arrays.copyOf(doc, context + 1));
            if (windows.isEmpty()) throw new IllegalArgumentException(data + ": no held-out document is longer than " + context + " tokens");
            training = TrainingTexts.documents(trainDocs, tokenizer, context);
        } else {
            training = anyStart ? TrainingTexts.generatedAnyStart(tokenizer, context) : TrainingTexts.generated(tokenizer, context);
            TrainingTexts longer = anyStart ? TrainingTexts.generatedAnyStart(tokenizer, context + 1) : TrainingTexts.generated(tokenizer, context + 1);
            SplittableRandom rng = new SplittableRandom(0x5eed_0ff5e7L); // a stream training never draws from
            while (windows.size() < heldout) {
                int[] w = longer.draw(rng);
                if (w.length == context + 1) windows.add(w);
            }
        }
        List<int[]> plain = windows.stream().map(w -> Arrays.copyOf(w, context)).toList();
        List<int[]> shifted = windows.stream().map(w -> Arrays.copyOfRange(w, 1, context + 1)).toList();
        return new Split(training, plain, shifted);
    }

    /** Each variant's loss averaged over seeds and smoothed over a window of steps / 50. */
    private void writeConvergencePlot(int context, Map<String, List<float[]>> curves) throws IOException {
        LossCurve plot = new LossCurve("autoencoder loss, " + context + "-token contexts (mean over seeds, smoothed)");
        List<CurveFile.Point> points = new ArrayList<>();
        int window = Math.max(1, steps / 50);
        for (var e : curves.entrySet()) {
            int n = e.getValue().get(0).length;
            double running = 0;
            double[] mean = new double[n];
            for (float[] losses : e.getValue()) for (int i = 0; i < n; i++) mean[i] += losses[i] / e.getValue().size();
            for (int i = 0; i < n; i++) {
                running += mean[i] - (i >= window ? mean[i - window] : 0);
                if ((i + 1) % window == 0 || i == n - 1) {
                    double smoothed = running / Math.min(i + 1, window);
                    plot.add(e.getKey(), i + 1, smoothed);
                    points.add(new CurveFile.Point(e.getKey(), i + 1, smoothed));
                }
            }
        }
        plot.writePng(out.resolve("convergence-ctx" + context + ".png"));
        // the same points as CSV, so runs made by separate processes can share one plot (bin/gmsa bench plot-curves)
        CurveFile.write(out.resolve("convergence-ctx" + context + ".csv"), points);
    }

    private static String table(List<Score> scores) {
        Map<String, List<Score>> byRow = new LinkedHashMap<>();
        for (Score s : scores) byRow.computeIfAbsent(s.method() + "|" + s.context() + "|" + s.rate() + "|" + s.shifted(), k -> new ArrayList<>()).add(s);
        StringBuilder sb = new StringBuilder("| method | context | rate | shifted | seeds | loss | loss without soft tokens | info (nats/token) | BLEU | prefix-EM |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (List<Score> row : byRow.values()) {
            Score first = row.get(0);
            sb.append(String.format("| %s | %d | %dx | %s | %d | %s | %s | %s | %s | %s |%n", first.method(), first.context(), first.rate(),
                    first.shifted() ? "by 1" : "no", row.size(),
                    meanSd(row, r -> r.loss()), meanSd(row, r -> r.lossWithoutSoftTokens()), meanSd(row, r -> r.informationNats()),
                    meanSd(row, r -> r.bleu()), meanSd(row, r -> r.prefixExactMatch())));
        }
        return sb.toString();
    }

    private static String meanSd(List<Score> row, java.util.function.ToDoubleFunction<Evaluation.Reconstruction> f) {
        double[] v = row.stream().mapToDouble(s -> f.applyAsDouble(s.r())).toArray();
        double mean = Arrays.stream(v).average().orElse(0);
        if (v.length < 2) return String.format("%.3f", mean);
        double sd = Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
        return String.format("%.3f ± %.3f", mean, sd);
    }
}
