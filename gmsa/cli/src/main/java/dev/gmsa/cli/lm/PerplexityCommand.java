package dev.gmsa.cli.lm;

import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.compress.data.RealTextCorpus;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.PretrainingMixture;
import dev.gmsa.compress.train.RealTextPretraining;
import dev.gmsa.loaders.PretrainedModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Held-out perplexity of a decoder: fixed windows of the corpus documents that pre-training never saw. */
@Command(name = "perplexity", showDefaultValues = true, description = "Mean next-token loss on held-out windows of a corpus; prints held_out_loss=, held_out_perplexity=, and copy_loss= / copy_token_accuracy= on restated held-out windows.")
public final class PerplexityCommand implements Callable<Integer> {
    @Option(names = "--model", description = "decoder model folder (default: the shipped decoder)") Path model;
    @Option(names = "--corpus", required = true, description = "folder of real-text *.jsonl documents (its held-out split is scored)") Path corpus;
    @Option(names = "--windows", defaultValue = "64", description = "windows scored") int windows;
    @Option(names = "--tokens", defaultValue = "256", description = "tokens per window") int tokens;
    @Option(names = "--seed", defaultValue = "7", description = "seed of the window positions") long seed;
    @Option(names = "--copy-tokens", defaultValue = "64", description = "tokens per restated window (copy_loss=, copy_token_accuracy=)") int copyTokens;

    @Override
    public Integer call() throws Exception {
        RealTextCorpus c = RealTextCorpus.read(corpus);
        if (model == null) model = ShippedModels.decoder();
        try (PretrainedModel m = PretrainedModel.load(model)) {
            var tokenizer = m.requireTokenizer();
            int eos = m.config().eosTokenIds().isEmpty() ? tokenizer.tokenId("</s>") : m.config().eosTokenIds().get(0);
            int[] stream = PretrainingMixture.tokenStream(tokenizer, c.heldOut(), eos);
            double loss = RealTextPretraining.heldOutLoss(m.model(), stream, tokens, windows, seed);
            System.out.printf("held_out_documents=%d%nheld_out_tokens=%d%nheld_out_loss=%.4f%nheld_out_perplexity=%.2f%n",
                    c.heldOut().size(), stream.length, loss, Math.exp(loss));
            var copy = RealTextPretraining.heldOutCopy(m.model(), stream, tokenizer.encode(EmbeddedDefault.INSTRUCTION), copyTokens, windows / 2, seed);
            System.out.printf("copy_loss=%.4f%ncopy_token_accuracy=%.3f%n", copy.loss(), copy.tokenAccuracy());
        }
        return 0;
    }
}
