package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.pipeline.CopyCheck;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.Evaluation;
import dev.gmsa.compress.pipeline.GmsaManifest;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.compress.pipeline.QaData;
import dev.gmsa.compress.pipeline.QaPrompt;
import dev.gmsa.compress.pipeline.TrainingTexts;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.compress.train.LanguageModelTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.compress.train.Recipes;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.Transformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The README's main job, on the embedded default (no download): pre-train a small word-level LLaMA on
 * generated stories and copy tasks, train GMSA and TCP-AE as autoencoders against it, fine-tune both with
 * KEFT on generated multi-document QA (and the decoder itself on the original prompt), then print a table
 * of reconstruction and QA scores with latencies.
 */
@Command(name = "demo", description = "The whole GMSA pipeline on the embedded default; prints step=/loss= lines and a results table.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", defaultValue = "runs/demo") Path out;
    @Option(names = "--hidden", defaultValue = "128") int hidden;
    @Option(names = "--layers", defaultValue = "2") int layers;
    @Option(names = "--pretrain-steps", defaultValue = "3000") int pretrainSteps;
    @Option(names = "--ae-steps", defaultValue = "3000") int aeSteps;
    @Option(names = "--keft-steps", defaultValue = "300") int keftSteps;
    @Option(names = "--context-tokens", defaultValue = "32") int contextTokens;
    @Option(names = "--rate", defaultValue = "4") int rate;
    @Option(names = "--eval-count", defaultValue = "30") int evalCount;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--threads") Integer threads;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        long start = System.nanoTime();
        Path decoderDir = out.resolve("decoder");
        Transformer decoder = pretrain(decoderDir);
        Map<String, Row> rows = new LinkedHashMap<>();
        List<QaExample> qaTrain = QaData.synthetic(seed + 10, 1000, 3), qaTest = QaData.synthetic(seed + 20, evalCount, 3);
        for (String method : List.of("gmsa", "tcp-ae")) rows.putAll(compressorRows(method, decoderDir, qaTrain, qaTest));
        rows.put("gmsa-no-ae", keftOnlyRow(decoderDir, qaTrain, qaTest));
        rows.put("original", originalPromptRow(decoderDir, qaTrain, qaTest));
        printTable(rows);
        System.out.printf("total_seconds=%.1f%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }

    private Transformer pretrain(Path dir) throws Exception {
        Transformer model = Transformer.randomInit(EmbeddedDefault.config(hidden, layers), seed);
        LossCurve curve = new LossCurve("embedded decoder pre-training");
        var settings = Recipes.EMBEDDED_PRETRAIN.withSteps(pretrainSteps).settings(seed, null, 0);
        int seq = 2 * contextTokens + 16;
        int every = Math.max(1, pretrainSteps / 10);
        var r = LanguageModelTraining.train(model, rng -> EmbeddedDefault.pretrainingSequence(rng, seq + 1, 0.8), Recipes.EMBEDDED_PRETRAIN.batch(), settings, curve,
                (step, loss) -> {
                    if (step == 1 || step % every == 0) System.out.printf("step=%d loss=%.4f%n", step, loss);
                });
        PretrainedModel.save(dir, model, EmbeddedDefault.tokenizer());
        curve.writePng(out.resolve("loss-pretrain.png"));
        System.out.printf("pretrain_tokens_per_s=%.0f%npretrain_seconds=%.1f%ncopy_token_accuracy=%.3f%n", r.tokensPerSecond(), r.seconds(),
                CopyCheck.copyTokenAccuracy(model, 20, contextTokens, seed + 99));
        return model;
    }

    private record Row(Evaluation.Reconstruction reconstruction, Evaluation.Qa qa) {}

    /**
     * The method trained as an autoencoder, then with KEFT; for GMSA also the QA row of the paper's "w/o KEFT"
     * ablation (the same compressor and decoder answering before KEFT).
     */
    private Map<String, Row> compressorRows(String method, Path decoderDir, List<QaExample> qaTrain, List<QaExample> qaTest) throws Exception {
        Map<String, Row> rows = new LinkedHashMap<>();
        try (GmsaSystem system = GmsaSystem.create(manifest(method, decoderDir), seed)) {
            var texts = TrainingTexts.generated(system.encoderTokenizer(), contextTokens);
            var task = new AutoencoderTraining.Task(Recipes.AUTOENCODER.batch(), new int[] {rate}, system.instructionIds(), system.eos());
            var aeSettings = Recipes.AUTOENCODER.withSteps(aeSteps).settings(seed, null, 0);
            LossCurve curve = new LossCurve("autoencoder training");
            AutoencoderTraining.train(system.compressor(), system.decoderModel(), texts::draw, task, aeSettings, curve);
            var reconstruction = Evaluation.reconstruction(system.compressor(), system.decoderModel(), system.decoderTokenizer(),
                    heldOutTexts(system), rate, system.instructionIds(), system.eos());
            Evaluation.Qa beforeKeft = method.equals("gmsa") ? answer(system, qaTest) : null;
            keft(method, system, qaTrain);
            rows.put(method, new Row(reconstruction, answer(system, qaTest)));
            if (beforeKeft != null) rows.put("gmsa-no-keft", new Row(null, beforeKeft));
            GmsaFolder.save(system, out.resolve(method));
            curve.writePng(out.resolve("loss-ae-" + method + ".png"));
            return rows;
        }
    }

    /** The paper's "w/o AE" ablation: GMSA's compressor as initialised (no autoencoder stage), then KEFT. */
    private Row keftOnlyRow(Path decoderDir, List<QaExample> qaTrain, List<QaExample> qaTest) throws Exception {
        try (GmsaSystem system = GmsaSystem.create(manifest("gmsa", decoderDir), seed)) {
            keft("gmsa-no-ae", system, qaTrain);
            return new Row(null, answer(system, qaTest));
        }
    }

    private GmsaManifest manifest(String method, Path decoderDir) {
        var spec = Methods.spec(method, layers, 1, new LoraSettings(8, 16f, 0.05f, LoraSettings.ALL_TARGETS));
        return GmsaManifest.of(spec, decoderDir.toString(), decoderDir.toString(), List.of(rate), EmbeddedDefault.INSTRUCTION.strip(),
                4 * contextTokens, 4 * contextTokens);
    }

    /** KEFT as the paper has it: W_Q, W_K, W_V deltas of the decoder, compressor frozen. */
    private void keft(String name, GmsaSystem system, List<QaExample> qaTrain) {
        QaPrompt prompt = QaPrompt.defaults();
        var examples = qaTrain.stream().map(e -> prompt.trainingExample(system.decoderTokenizer(), e)).toList();
        var trainable = system.startKeft(KeftMode.QKV);
        var keftSettings = Recipes.KEFT.withSteps(keftSteps).settings(seed, null, 0);
        KeftTraining.train("keft-" + name, system.compressor(), system.decoderModel(), trainable, examples,
                new KeftTraining.Task(Recipes.KEFT.batch(), rate, system.manifest().window(), system.eos()), keftSettings, null);
    }

    private Evaluation.Qa answer(GmsaSystem system, List<QaExample> qaTest) {
        return Evaluation.qa(system.compressor(), system.decoderModel(), system.decoderTokenizer(), qaTest, rate, system.manifest().window(),
                QaPrompt.defaults(), system.eos(), 8);
    }

    /** The same decoder reading the documents as text, fine-tuned with the same deltas and budget. */
    private Row originalPromptRow(Path decoderDir, List<QaExample> qaTrain, List<QaExample> qaTest) {
        try (PretrainedModel m = PretrainedModel.load(decoderDir)) {
            QaPrompt prompt = QaPrompt.defaults();
            var tokenizer = m.requireTokenizer();
            int eos = m.config().eosTokenIds().get(0);
            var examples = qaTrain.stream().map(e -> prompt.trainingExample(tokenizer, e)).toList();
            var trainable = KeftMode.QKV.attach(m.model());
            var settings = Recipes.KEFT.withSteps(keftSteps).settings(seed, null, 0);
            KeftTraining.train("keft-original", null, m.model(), trainable, examples, new KeftTraining.Task(Recipes.KEFT.batch(), 1, Integer.MAX_VALUE, eos), settings, null);
            return new Row(null, Evaluation.qa(null, m.model(), tokenizer, qaTest, 1, Integer.MAX_VALUE, prompt, eos, 8));
        }
    }

    private List<int[]> heldOutTexts(GmsaSystem system) {
        SplittableRandom rng = new SplittableRandom(seed + 12345); // never drawn in training: other seeds
        List<int[]> texts = new ArrayList<>();
        for (int i = 0; i < evalCount; i++) texts.add(TrainingTexts.generated(system.encoderTokenizer(), contextTokens).draw(rng));
        return texts;
    }

    private void printTable(Map<String, Row> rows) {
        System.out.println();
        System.out.printf("%-14s %8s %10s %8s %8s %8s %12s %10s%n", "method", "BLEU", "prefix-EM", "info", "QA-EM", "QA-F1", "compress_s", "answer_s");
        for (var e : rows.entrySet()) {
            var r = e.getValue().reconstruction();
            var q = e.getValue().qa();
            System.out.printf("%-14s %8s %10s %8s %8.3f %8.3f %12.3f %10.3f%n", e.getKey(),
                    r == null ? "-" : String.format("%.3f", r.bleu()), r == null ? "-" : String.format("%.3f", r.prefixExactMatch()),
                    r == null ? "-" : String.format("%.2f", r.informationNats()), q.exactMatch(), q.f1(), q.compressSeconds(), q.answerSeconds());
        }
        for (var e : rows.entrySet()) {
            String k = e.getKey().replace('-', '_');
            var r = e.getValue().reconstruction();
            if (r != null) System.out.printf("%s_bleu=%.4f%n%s_prefix_em=%.4f%n%s_info_nats=%.4f%n", k, r.bleu(), k, r.prefixExactMatch(), k, r.informationNats());
            System.out.printf("%s_qa_em=%.4f%n%s_qa_f1=%.4f%n%s_answer_s=%.3f%n", k, e.getValue().qa().exactMatch(), k, e.getValue().qa().f1(), k,
                    e.getValue().qa().compressSeconds() + e.getValue().qa().answerSeconds());
        }
    }
}
