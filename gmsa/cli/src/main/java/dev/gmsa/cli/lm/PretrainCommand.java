package dev.gmsa.cli.lm;

import dev.gmsa.compress.pipeline.CopyCheck;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.train.LanguageModelTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.compress.train.Recipe;
import dev.gmsa.compress.train.Recipes;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.Transformer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * Pre-trains a decoder into a model folder usable as --decoder: with --corpus, a LLaMA with a byte-level BPE
 * tokenizer trained here on real English text plus copy and multi-document QA segments (the shipped default);
 * without it, the small word-level decoder of generated stories that tests use.
 */
@Command(name = "pretrain", description = "Pre-train a decoder into a model folder usable as --decoder.")
public final class PretrainCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, description = "model folder to write")
    Path out;
    @Option(names = "--corpus", description = "folder of real-text *.jsonl documents: train a BPE decoder on it (1 in 10 documents held out)")
    Path corpus;
    @Option(names = "--init", description = "continue from this model folder's weights and tokenizer (with --corpus; a fresh optimizer)")
    Path init;
    @Option(names = "--qa-documents", split = ",", description = "fewest,most documents per QA segment (with --corpus; default: 2,6)")
    int[] qaDocuments;
    @Option(names = "--qa-drill", description = "QA segments ask one question per document after the same context, over evaluation-sized passages (with --corpus)")
    boolean qaDrill;
    @Option(names = "--tokenizer", description = "an existing tokenizer.json to use instead of training one (with --corpus)")
    Path tokenizerFile;
    @Option(names = "--vocab", defaultValue = "8192", description = "BPE vocabulary size (with --corpus; default: ${DEFAULT-VALUE})") int vocab;
    @Option(names = "--heads", description = "attention heads (default: hidden / 48 with --corpus, hidden / 32 without)") Integer heads;
    @Option(names = "--ffn", description = "feed-forward width (default: 8/3 hidden, rounded to 16)") Integer ffn;
    @Option(names = "--tie-embeddings", description = "one matrix for input embeddings and output logits (with --corpus): copying then needs no per-token output map")
    boolean tieEmbeddings;
    @Option(names = "--max-positions", defaultValue = "2048", description = "context length of the decoder (with --corpus)") int maxPositions;
    @Option(names = "--warmup", description = "warm-up steps (default: the recipe's, scaled to --steps)") Integer warmup;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "steps between resumable checkpoints (with --corpus)") int checkpointEvery;
    @Option(names = "--shares", defaultValue = "0.5,0.3,0.2", split = ",", description = "text, copy, qa[, scrambled-copy] segment shares (with --corpus)") double[] shares;
    @Option(names = "--hidden", description = "model width (default: 288 with --corpus, 128 without)") Integer hidden;
    @Option(names = "--layers", description = "decoder layers (default: 6 with --corpus, 2 without)") Integer layers;
    @Option(names = "--steps", description = "optimizer steps (default: Recipes.DECODER_PRETRAIN with --corpus, EMBEDDED_PRETRAIN without)") Integer steps;
    @Option(names = "--seq", description = "tokens per training sequence (default: 512 with --corpus, 80 without)") Integer seq;
    @Option(names = "--batch", description = "sequences per step (default: the recipe's)") Integer batch;
    @Option(names = "--lr", description = "peak learning rate (default: the recipe's)") Float lr;
    @Option(names = "--copy-fraction", defaultValue = "0.8", description = "share of copy-task sequences") double copyFraction;
    @Option(names = "--seed", defaultValue = "1") long seed;
    @Option(names = "--threads") Integer threads;

    /** The recipe with this command's overrides (--steps scales the warm-up unless --warmup is given). */
    Recipe recipe(Recipe base) {
        return base.withOverrides(steps, batch, lr, warmup, null, null);
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        if (corpus != null) return new RealTextDecoderPretraining(this).run();
        int hidden = this.hidden != null ? this.hidden : 128, layers = this.layers != null ? this.layers : 2, seq = this.seq != null ? this.seq : 80;
        Recipe r0 = recipe(Recipes.EMBEDDED_PRETRAIN);
        int steps = r0.steps(), batch = r0.batch();
        Transformer model = Transformer.randomInit(EmbeddedDefault.config(hidden, layers), seed);
        LossCurve curve = new LossCurve("embedded decoder pre-training");
        var settings = r0.settings(seed, out.resolve("checkpoint-pretrain.safetensors"), Math.max(50, steps / 10));
        var r = LanguageModelTraining.train(model, rng -> EmbeddedDefault.pretrainingSequence(rng, seq + 1, copyFraction), batch, settings, curve);
        PretrainedModel.save(out, model, EmbeddedDefault.tokenizer());
        curve.writePng(out.resolve("loss-pretrain.png"));
        float[] l = r.losses();
        System.out.printf("model=%s%nparams=%d%nloss_first=%.4f%nloss_last=%.4f%ntokens_per_s=%.0f%nseconds=%.1f%n", out,
                model.parameters().values().stream().mapToLong(v -> v.numel()).sum(), l[0], l[l.length - 1], r.tokensPerSecond(), r.seconds());
        System.out.printf("copy_token_accuracy=%.3f%n", CopyCheck.copyTokenAccuracy(model, 20, 24, seed + 1000));
        System.out.printf("copy_exact=%.3f%n", CopyCheck.exactCopyRate(model, 20, 24, seed + 1000));
        return 0;
    }
}
