package dev.gmsa.cli.lm;

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
        Transformer model = o.init != null ? initialWeights(o.init, tokenizer, o.tieEmbeddings) : Transformer.randomInit(config(tokenizer.vocabSize(), bos, eos), o.seed);
        var mixture = new PretrainingMixture(tokenizer, corpus.train(), EmbeddedDefault.INSTRUCTION, eos,
                shares(), 240, qaSegments());
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
        var copy = RealTextPretraining.heldOutCopy(model, heldOut, tokenizer.encode(EmbeddedDefault.INSTRUCTION), 64, 32, 7);
        System.out.printf("held_out_copy_loss=%.4f%nheld_out_copy_token_accuracy=%.3f%n", copy.loss(), copy.tokenAccuracy());
        float[] l = result.losses();
        System.out.printf("model=%s%nsteps=%d%nloss_last=%.4f%nheld_out_loss=%.4f%nheld_out_perplexity=%.2f%ntokens_per_s=%.0f%nseconds=%.1f%n",
                o.out, l.length, l[l.length - 1], heldOutLoss, Math.exp(heldOutLoss), result.tokensPerSecond(), result.seconds());
        return 0;
    }

    private PretrainingMixture.Shares shares() {
        double[] s = o.shares;
        if (s.length != 3 && s.length != 4)
            throw new IllegalArgumentException("--shares takes text,copy,qa[,scrambled-copy], got " + s.length + " values");
        return new PretrainingMixture.Shares(s[0], s[1], s[2], s.length == 4 ? s[3] : 0);
    }

    private PretrainingMixture.QaSegments qaSegments() {
        int[] docs = o.qaDocuments != null ? o.qaDocuments : new int[] {2, 6};
        if (docs.length != 2) throw new IllegalArgumentException("--qa-documents takes fewest,most, got " + docs.length + " values");
        return o.qaDrill ? PretrainingMixture.QaSegments.drills(docs[0], docs[1])
                : new PretrainingMixture.QaSegments(docs[0], docs[1], PretrainingMixture.QA_PASSAGE_CHARS, Integer.MAX_VALUE, false);
    }

    /**
     * --init: the folder's weights as fresh F32 parameters (a BF16 folder is widened), checked against its tokenizer;
     * with --tie-embeddings an untied model drops its output matrix and reads logits off its input embeddings.
     */
    private static Transformer initialWeights(Path folder, Tokenizer tokenizer, boolean tie) {
        try (PretrainedModel init = PretrainedModel.load(folder)) {
            ModelConfig c = init.config();
            if (c.vocabSize() != tokenizer.vocabSize())
                throw new IllegalArgumentException("--init " + folder + ": vocabulary " + c.vocabSize() + " but the tokenizer has " + tokenizer.vocabSize());
            java.util.Map<String, dev.gmsa.tensor.Tensor> weights = new java.util.LinkedHashMap<>();
            init.model().parameters().forEach((name, v) -> weights.put(name, v.value().to(dev.gmsa.tensor.DType.F32).copy()));
            if (tie && !c.tieWordEmbeddings()) {
                weights.remove("lm_head.weight");
                c = c.toBuilder().tieWordEmbeddings(true).dtype("float32").build();
            }
            return Transformer.fromWeights(c, weights);
        } catch (Exception e) {
            if (e instanceof RuntimeException r) throw r;
            throw new IllegalStateException("--init " + folder + ": " + e.getMessage(), e);
        }
    }

    private void writeCurve(LossCurve curve) {
        try {
            curve.writePng(o.out.resolve("loss-pretrain.png"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("writing the loss curve into " + o.out + ": " + e.getMessage(), e);
        }
    }

    /** The given tokenizer.json (or --init's), the one a resumed run wrote, or a new one trained on the training documents. */
    private Tokenizer tokenizer(RealTextCorpus corpus) {
        Path file = o.out.resolve("tokenizer.json");
        Path given = o.tokenizerFile != null ? o.tokenizerFile : o.init != null ? o.init.resolve("tokenizer.json") : null;
        if (given != null) {
            if (!given.toAbsolutePath().equals(file.toAbsolutePath())) {
                try {
                    Files.copy(given, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot copy " + given + " to " + file + ": " + e.getMessage(), e);
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
        return ModelConfig.builder().hiddenSize(hidden).intermediateSize(ffn).numLayers(layers).numHeads(heads)
                .vocabSize(vocabSize).maxPositionEmbeddings(o.maxPositions)
                .tieWordEmbeddings(o.tieEmbeddings).bosTokenIds(bos).eosTokenIds(eos).build();
    }
}
