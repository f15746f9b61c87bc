package dev.gmsa.compress.cli;

import dev.gmsa.compress.data.RealTextCorpus;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.PretrainingMixture;
import dev.gmsa.compress.train.LanguageModelTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.compress.train.Recipe;
import dev.gmsa.compress.train.Recipes;
import dev.gmsa.compress.train.RealTextPretraining;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.loaders.TokenizerJson;
import dev.gmsa.loaders.TokenizerJsonWriter;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.BpeTrainer;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pretrain --corpus}: a byte-level BPE trained on the corpus's training documents, then a LLaMA trained on
 * the {@link PretrainingMixture} of them, resumable from {@code checkpoint-pretrain.safetensors}; the model folder is
 * rewritten at every checkpoint, so it is usable (and shippable) while training goes on.
 */
final class RealTextDecoderPretraining {
    static final String BOS = "<s>", EOS = "</s>";
    private final PretrainCommand o;

    RealTextDecoderPretraining(PretrainCommand options) {
        this.o = options;
    }

    int run() throws IOException {
        RealTextCorpus corpus = RealTextCorpus.read(o.corpus);
        Files.createDirectories(o.out);
        Tokenizer tokenizer = tokenizer(corpus);
        int bos = tokenizer.tokenId(BOS), eos = tokenizer.tokenId(EOS);
        if (bos < 0 || eos < 0) throw new IllegalArgumentException("the tokenizer has no " + BOS + " / " + EOS + " special tokens");
        ModelConfig config = config(tokenizer.vocabSize(), bos, eos);
        Transformer model = Transformer.randomInit(config, o.seed);
        var mixture = new PretrainingMixture(tokenizer, corpus.train(), EmbeddedDefault.INSTRUCTION, eos,
                new PretrainingMixture.Shares(o.shares[0], o.shares[1], o.shares[2]), 240, 6);
        System.out.printf("train_documents=%d%nheld_out_documents=%d%ntrain_tokens=%d%nparams=%d%n", corpus.train().size(),
                corpus.heldOut().size(), mixture.streamTokens(), model.parameters().values().stream().mapToLong(v -> v.numel()).sum());
        LossCurve curve = new LossCurve("decoder pre-training on real text");
        Recipe recipe = o.recipe(Recipes.DECODER_PRETRAIN);
        int seq = o.seq != null ? o.seq : 512;
        var settings = recipe.settings(o.seed, o.out.resolve("checkpoint-pretrain.safetensors"), o.checkpointEvery);
        var result = LanguageModelTraining.train(model, rng -> mixture.sequence(rng, seq + 1), recipe.batch(), settings, curve, (step, loss) -> {
            if (step % o.checkpointEvery == 0 || step == recipe.steps()) {
                PretrainedModel.save(o.out, model, tokenizer);
                writeCurve(curve);
            }
        });
        PretrainedModel.save(o.out, model, tokenizer);
        curve.writePng(o.out.resolve("loss-pretrain.png"));
        int[] heldOut = PretrainingMixture.tokenStream(tokenizer, corpus.heldOut(), eos);
        double heldOutLoss = RealTextPretraining.heldOutLoss(model, heldOut, 256, 64, 7);
        float[] l = result.losses();
        System.out.printf("model=%s%nsteps=%d%nloss_last=%.4f%nheld_out_loss=%.4f%nheld_out_perplexity=%.2f%ntokens_per_s=%.0f%nseconds=%.1f%n",
                o.out, l.length, l[l.length - 1], heldOutLoss, Math.exp(heldOutLoss), result.tokensPerSecond(), result.seconds());
        return 0;
    }

    private void writeCurve(LossCurve curve) {
        try {
            curve.writePng(o.out.resolve("loss-pretrain.png"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing the loss curve into " + o.out + ": " + e.getMessage(), e);
        }
    }

    /** The given tokenizer.json, the one a resumed run wrote, or a new one trained on the training documents. */
    private Tokenizer tokenizer(RealTextCorpus corpus) {
        Path file = o.out.resolve("tokenizer.json");
        if (o.tokenizerFile != null) {
            if (!o.tokenizerFile.toAbsolutePath().equals(file.toAbsolutePath())) {
                try {
                    Files.copy(o.tokenizerFile, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot copy " + o.tokenizerFile + " to " + file + ": " + e.getMessage(), e);
                }
            }
        } else if (!Files.exists(file)) {
            long t0 = System.nanoTime();
            BpeTrainer trainer = new BpeTrainer();
            corpus.train().forEach(trainer::add);
            TokenizerJsonWriter.write(file, trainer.train(o.vocab, List.of(BOS, EOS), 2));
            System.out.printf("tokenizer=%s%ntokenizer_seconds=%.1f%n", file, (System.nanoTime() - t0) / 1e9);
        }
        return TokenizerJson.load(file);
    }

    private ModelConfig config(int vocabSize, int bos, int eos) {
        int hidden = o.hidden != null ? o.hidden : 288, layers = o.layers != null ? o.layers : 6;
        int heads = o.heads != null ? o.heads : Math.max(1, hidden / 48);
        if (hidden % heads != 0) throw new IllegalArgumentException("--hidden " + hidden + " is not a multiple of --heads " + heads);
        int ffn = o.ffn != null ? o.ffn : (int) (Math.round(hidden * 8 / 3.0 / 16) * 16);
        return new ModelConfig("llama", hidden, ffn, layers, heads, heads, hidden / heads, vocabSize, 1e-5, 10000.0, null,
                o.maxPositions, false, false, false, false, false, List.of(bos), List.of(eos), "float32");
    }
}
