package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.loaders.ModelConfigLoader;

import dev.gmsa.compress.train.Recipe;
import dev.gmsa.compress.train.Recipes;

import dev.gmsa.compress.data.RealTextCorpus;

import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.compress.model.LoraSettings;
import dev.gmsa.compress.pipeline.GmsaManifest;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.compress.pipeline.TrainingTexts;
import dev.gmsa.compress.train.AutoencoderTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.tensor.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Stage 1: autoencoder training of a compressor (GMSA, a baseline or an ablation) against a frozen decoder. */
@Command(name = "train-ae", showDefaultValues = true, description = "Autoencoder training (stage 1); writes a GMSA folder. Prints loss_first=, loss_last=, tokens_per_s=.")
public final class TrainAeCommand implements Callable<Integer> {
    @Option(names = "--decoder", description = "decoder model folder (Hugging Face layout, or one from bin/gmsa pretrain; default: the shipped decoder)")
    Path decoder;
    @Option(names = "--encoder", description = "encoder checkpoint folder (default: the decoder)")
    Path encoder;
    @Option(names = "--method", defaultValue = "gmsa", description = "gmsa, tcp-ae, icae, gmsa-no-merging, gmsa-no-lsa, gmsa-random-lsa")
    String method;
    @Option(names = "--encoder-layers", description = "N_enc: layers of the encoder checkpoint the encoder keeps (default: a quarter of them, rounded up, as the paper's 8 of 32)") Integer encoderLayers;
    @Option(names = "--lsa-layers", defaultValue = "1", description = "k_LSA: blocks of the Layer Semantic Alignment module") int lsaLayers;
    @Option(names = "--lora-rank", defaultValue = "8", description = "LoRA rank of the encoder") int loraRank;
    @Option(names = "--lora-alpha", defaultValue = "16", description = "LoRA alpha (scale alpha / rank)") float loraAlpha;
    @Option(names = "--lora-dropout", defaultValue = "0.05", description = "LoRA dropout on the adapter input (training steps only)") float loraDropout;
    @Option(names = "--lora-targets", split = ",", defaultValue = "q_proj,k_proj,v_proj,o_proj", description = "projections that get LoRA (q_proj,k_proj,v_proj,o_proj,gate_proj,up_proj,down_proj)") List<String> loraTargets;
    @Option(names = "--rates", split = ",", defaultValue = "4,8", description = "compression rates drawn per example") List<Integer> rates;
    @Option(names = "--context-tokens", defaultValue = "512", description = "tokens per training context") int contextTokens;
    @Option(names = "--window", defaultValue = "512", description = "tokens per compressed window at inference") int window;
    @Option(names = "--data", description = "JSONL with {\"text\": ...} per line (default: generated stories)") Path data;
    @Option(names = "--corpus", description = "folder of real-text *.jsonl documents: train on its training split (as pretrain --corpus splits it)") Path corpus;
    @Option(names = "--instruction", defaultValue = "Restate the aforementioned Text.", description = "the restate instruction read after the soft tokens") String instruction;
    @Option(names = "--steps", description = "optimizer steps (default: Recipes.AUTOENCODER's 3000)") Integer steps;
    @Option(names = "--batch", description = "texts per step (default: the recipe's 8)") Integer batch;
    @Option(names = "--lr", description = "peak learning rate, AdamW with a linear schedule (default: the recipe's 3e-3)") Float lr;
    @Option(names = "--warmup", description = "warm-up steps (default: the recipe's 40%% of the steps)") Integer warmup;
    @Option(names = "--clip", description = "gradient-norm clip (default: the recipe's 2)") Float clip;
    @Option(names = "--weight-decay", description = "AdamW weight decay (default: the recipe's 0)") Float weightDecay;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "steps between resumable checkpoints") int checkpointEvery;
    @Option(names = "--seed", defaultValue = "1", description = "seed of initialisation, data order and rates") long seed;
    @Option(names = "--threads", description = "CPU threads (default: all cores)") Integer threads;
    @Option(names = "--out", required = true, description = "GMSA folder to write (resumes from its checkpoint if one is there)")
    Path out;

    /** A quarter of the encoder checkpoint's layers, rounded up (the paper keeps 8 of LLaMA-2-7B's 32). */
    int defaultEncoderLayers() {
        Path folder = encoder != null ? encoder : decoder;
        return (ModelConfigLoader.load(folder.resolve("config.json")).numLayers() + 3) / 4;
    }

    /** Recipes.AUTOENCODER with this command's overrides (--steps scales the warm-up unless --warmup is given). */
    Recipe recipe() {
        return Recipes.AUTOENCODER.withOverrides(steps, batch, lr, warmup, clip, weightDecay);
    }

    private TrainingTexts trainingTexts(GmsaSystem system) throws java.io.IOException {
        if (data != null && corpus != null) throw new IllegalArgumentException("give --data or --corpus, not both");
        if (corpus != null) {
            var docs = RealTextCorpus.read(corpus).train().parallelStream().map(system.encoderTokenizer()::encode).filter(ids -> ids.length > 0).toList();
            return TrainingTexts.documents(docs, system.encoderTokenizer(), contextTokens);
        }
        return data == null ? TrainingTexts.generated(system.encoderTokenizer(), contextTokens)
                : TrainingTexts.jsonl(data, system.encoderTokenizer(), contextTokens);
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        if (decoder == null) decoder = ShippedModels.decoder();
        var lora = new LoraSettings(loraRank, loraAlpha, loraDropout, loraTargets);
        CompressorSpec spec = Methods.spec(method, encoderLayers != null ? encoderLayers : defaultEncoderLayers(), lsaLayers, lora);
        int minRate = rates.stream().mapToInt(Integer::intValue).min().orElseThrow();
        int maxSoft = (Math.max(contextTokens, window) + minRate - 1) / minRate;
        GmsaManifest manifest = GmsaManifest.of(spec, decoder.toString(), (encoder == null ? decoder : encoder).toString(), rates,
                instruction, window, maxSoft);
        try (GmsaSystem system = GmsaSystem.create(manifest, seed)) {
            TrainingTexts texts = trainingTexts(system);
            // texts are drawn in the encoder's tokens; the decoder restates them in its own
            Recipe recipe = recipe();
            var task = system.autoencoderTask(recipe.batch(), rates.stream().mapToInt(Integer::intValue).toArray());
            var settings = recipe.settings(seed, out.resolve("checkpoint-ae.safetensors"), checkpointEvery);
            LossCurve curve = new LossCurve("autoencoder training: " + spec.name());
            var r = AutoencoderTraining.train(system.compressor(), system.decoderModel(), texts::draw, task, settings, curve);
            GmsaFolder.save(system, out);
            curve.writePng(out.resolve("loss-ae.png"));
            float[] l = r.losses();
            System.out.printf("method=%s%nout=%s%nsteps=%d%nresumed_at=%d%nloss_first=%.4f%nloss_last=%.4f%ntokens_per_s=%.0f%nseconds=%.1f%n",
                    spec.name(), out, recipe.steps(), r.resumedAt(), l[0], l[l.length - 1], r.tokensPerSecond(), r.seconds());
        }
        return 0;
    }
}
