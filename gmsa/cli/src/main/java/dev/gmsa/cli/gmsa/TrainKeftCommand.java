package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.compress.data.RealTextCorpus;
import dev.gmsa.compress.pipeline.OriginalPrompt;
import dev.gmsa.compress.pipeline.QaPrompt;

import dev.gmsa.compress.train.Recipe;
import dev.gmsa.compress.train.Recipes;

import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.QaData;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.tensor.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Stage 2: Knowledge Extraction Fine-Tuning of the decoder on (soft tokens, question) -> answer. */
@Command(name = "train-keft", showDefaultValues = true, description = "KEFT (stage 2) on a GMSA folder from train-ae. Prints loss_first=, loss_last=, tokens_per_s=.")
public final class TrainKeftCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "GMSA folder from train-ae (or --decoder for the original-prompt baseline; default: the shipped GMSA, with --out)") Path gmsa;
    @Option(names = "--decoder", description = "instead of --gmsa: fine-tune this decoder on full prompts (the original-prompt baseline; a folder from an earlier train-keft --decoder continues its deltas); needs --out") Path decoder;
    @Option(names = "--corpus", description = "folder of real-text *.jsonl documents: generate QA over passages of its training split") Path corpus;
    @Option(names = "--out", description = "GMSA folder to write (default: --gmsa)") Path out;
    @Option(names = "--data", description = "QA file (default: generated multi-document QA)") Path data;
    @Option(names = "--format", defaultValue = "qa", description = "qa ({docs, question, answers} JSONL), pwc, squad") String format;
    @Option(names = "--count", defaultValue = "2000", description = "generated training examples") int count;
    @Option(names = "--documents", defaultValue = "5", description = "documents per generated example") int documents;
    @Option(names = "--drill", description = "generated reading drills: every context asks one question per document (all of one template), each answer scored; --count contexts") boolean drill;
    @Option(names = "--mode", defaultValue = "QKV", description = "QKV (the paper: W_Q, W_K, W_V) or WHOLE_DECODER (the released code)") KeftMode mode;
    @Option(names = "--rate", defaultValue = "4", description = "compression rate of the soft tokens KEFT reads") int rate;
    @Option(names = "--steps", description = "optimizer steps (default: Recipes.KEFT's 300)") Integer steps;
    @Option(names = "--batch", description = "examples per step (default: the recipe's 8)") Integer batch;
    @Option(names = "--lr", description = "peak learning rate, AdamW with a linear schedule (default: the recipe's 1e-3; Appendix D's 7B models used 1e-5)") Float lr;
    @Option(names = "--clip", description = "gradient-norm clip (default: the recipe's 2)") Float clip;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "steps between resumable checkpoints") int checkpointEvery;
    @Option(names = "--seed", defaultValue = "2", description = "seed of data order and generated QA") long seed;
    @Option(names = "--threads", description = "CPU threads (default: all cores)") Integer threads;

    /** One question per context, from --data, generated over --corpus's training passages, or generated outright (answerless ones dropped). */
    private List<QaExample> questions() throws java.io.IOException {
        List<QaExample> qa = data != null ? QaData.read(data, format)
                : corpus != null ? QaData.realText(RealTextCorpus.read(corpus).train(), seed, count, documents)
                : QaData.synthetic(seed, count, documents);
        return qa.stream().filter(e -> !e.answers().isEmpty()).toList();
    }

    private List<List<QaExample>> drills() throws java.io.IOException {
        return corpus != null ? QaData.realTextDrills(RealTextCorpus.read(corpus).train(), seed, count, documents)
                : QaData.syntheticDrills(seed, count, documents);
    }

    /** Recipes.KEFT with this command's overrides (--steps scales the warm-up). */
    Recipe recipe() {
        return Recipes.KEFT.withOverrides(steps, batch, lr, null, clip, null);
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        if (gmsa != null && decoder != null) throw new IllegalArgumentException("give --gmsa DIR (a compressor) or --decoder DIR (the original prompt), not both");
        if (gmsa == null && decoder == null) {
            // the shipped GMSA is the default input, but it is never rewritten in place by default
            if (out == null) throw new IllegalArgumentException("without --gmsa or --decoder, KEFT reads the shipped GMSA and needs --out DIR to write to");
            gmsa = ShippedModels.methodFolder(null, "gmsa");
        }
        if (data != null && corpus != null) throw new IllegalArgumentException("give --data or --corpus, not both");
        if (drill && data != null) throw new IllegalArgumentException("--drill generates its contexts: give --corpus (or nothing), not --data");
        List<List<QaExample>> contexts = drill ? drills() : questions().stream().map(List::of).toList();
        if (decoder != null) return originalPrompt(contexts);
        Path target = out != null ? out : gmsa;
        try (GmsaSystem system = GmsaFolder.load(gmsa)) {
            // documents in the encoder's tokens, question and answer in the decoder's, written as ask and eval write them
            List<KeftTraining.Example> examples = contexts.stream().map(system::keftDrill).toList();
            var trainable = system.startKeft(mode);
            Recipe recipe = recipe();
            var task = new KeftTraining.Task(recipe.batch(), rate, system.manifest().window(), system.eos());
            var settings = recipe.settings(seed, target.resolve("checkpoint-keft.safetensors"), checkpointEvery);
            LossCurve curve = new LossCurve("KEFT: " + system.manifest().method() + " (" + mode + ")");
            var r = KeftTraining.train("keft-" + system.manifest().method(), system.compressor(), system.decoderModel(), trainable,
                    examples, task, settings, curve);
            GmsaFolder.save(system, target);
            curve.writePng(target.resolve("loss-keft.png"));
            float[] l = r.losses();
            System.out.printf("method=%s%nmode=%s%nexamples=%d%nsteps=%d%nresumed_at=%d%nloss_first=%.4f%nloss_last=%.4f%ntokens_per_s=%.0f%nseconds=%.1f%n",
                    system.manifest().method(), mode, examples.size(), recipe.steps(), r.resumedAt(), l[0], l[l.length - 1], r.tokensPerSecond(), r.seconds());
        }
        return 0;
    }

    /** The baseline: the decoder reads the documents as text and learns the same deltas with the same budget. */
    private int originalPrompt(List<List<QaExample>> contexts) throws Exception {
        if (out == null) throw new IllegalArgumentException("--decoder needs --out (the baseline's folder)");
        try (OriginalPrompt baseline = OriginalPrompt.start(decoder, mode)) {
            QaPrompt prompt = QaPrompt.defaults();
            List<KeftTraining.Example> examples = contexts.stream().map(c -> prompt.drillExample(baseline.tokenizer(), baseline.tokenizer(), c)).toList();
            Recipe recipe = recipe();
            var task = new KeftTraining.Task(recipe.batch(), 1, Integer.MAX_VALUE, baseline.eos());
            var settings = recipe.settings(seed, out.resolve("checkpoint-keft.safetensors"), checkpointEvery);
            LossCurve curve = new LossCurve("KEFT: original prompt (" + mode + ")");
            var r = KeftTraining.train("keft-original", null, baseline.model(), baseline.deltas(), examples, task, settings, curve);
            baseline.save(out, OriginalPrompt.baseDecoder(decoder));
            curve.writePng(out.resolve("loss-keft.png"));
            float[] l = r.losses();
            System.out.printf("method=original%nmode=%s%nexamples=%d%nsteps=%d%nresumed_at=%d%nloss_first=%.4f%nloss_last=%.4f%ntokens_per_s=%.0f%nseconds=%.1f%n",
                    mode, examples.size(), recipe.steps(), r.resumedAt(), l[0], l[l.length - 1], r.tokensPerSecond(), r.seconds());
        }
        return 0;
    }
}
