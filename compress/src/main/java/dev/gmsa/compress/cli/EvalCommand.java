package dev.gmsa.compress.cli;

import dev.gmsa.compress.data.AutoencoderCorpusReader;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.Evaluation;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.QaData;
import dev.gmsa.compress.pipeline.QaPrompt;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** The paper's metrics on a data set, for a trained compressor (--gmsa) or for the original prompt (--decoder). */
@Command(name = "eval", showDefaultValues = true, description = {"Reconstruction (bleu=, prefix_em=, rouge1=, rouge2=, rougeL=, loss=, perplexity=, loss_no_soft=) or QA (em=, f1=, accuracy=) metrics, with timings.",
        "ROUGE values are F-measures averaged over texts; perplexity= is exp(mean cross-entropy per token) of the texts (+ EOS) given their soft tokens."})
final class EvalCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "a trained GMSA folder") Path gmsa;
    @Option(names = "--decoder", description = "with no --gmsa: evaluate the original prompt on this decoder (QA only)") Path decoder;
    @Option(names = "--task", defaultValue = "reconstruct", description = "reconstruct or qa") String task;
    @Option(names = "--data", description = "texts JSONL (reconstruct) or QA file (qa); default: generated") Path data;
    @Option(names = "--format", defaultValue = "qa", description = "QA layout: qa, pwc, squad") String format;
    @Option(names = "--count", defaultValue = "50", description = "examples to evaluate (generated data, or the first N)") int count;
    @Option(names = "--context-tokens", defaultValue = "64", description = "tokens per reconstruction text") int contextTokens;
    @Option(names = "--documents", defaultValue = "5", description = "documents per generated QA example") int documents;
    @Option(names = "--rate", defaultValue = "4", description = "compression rate") int rate;
    @Option(names = "--max-answer-tokens", defaultValue = "16", description = "longest answer generated (qa)") int maxAnswerTokens;
    @Option(names = "--seed", defaultValue = "12345", description = "seed of generated held-out data") long seed;

    @Override
    public Integer call() throws Exception {
        if (gmsa == null && decoder == null) throw new IllegalArgumentException("give --gmsa DIR or --decoder DIR");
        if (task.equals("reconstruct")) return reconstruct();
        if (task.equals("qa")) return qa();
        throw new IllegalArgumentException("unknown task " + task + " (reconstruct, qa)");
    }

    private int reconstruct() throws Exception {
        if (gmsa == null) throw new IllegalArgumentException("reconstruct needs --gmsa (a compressor to evaluate)");
        try (GmsaSystem s = GmsaSystem.load(gmsa)) {
            Tokenizer t = s.decoderTokenizer();
            List<int[]> texts = new ArrayList<>();
            if (data != null) {
                for (String text : AutoencoderCorpusReader.read(data)) {
                    if (texts.size() == count) break;
                    int[] ids = t.encode(text);
                    texts.add(Arrays.copyOf(ids, Math.min(ids.length, contextTokens)));
                }
            } else {
                SplittableRandom rng = new SplittableRandom(seed);
                for (int i = 0; i < count; i++) {
                    int[] ids = t.encode(EmbeddedDefault.text(rng, contextTokens * 8));
                    texts.add(Arrays.copyOf(ids, Math.min(ids.length, contextTokens)));
                }
            }
            var r = s.evaluateReconstruction(texts, rate);
            Evaluation.RougeF rouge = Evaluation.rouge(r);
            System.out.printf("method=%s%nrate=%d%ntexts=%d%nbleu=%.4f%nprefix_em=%.4f%nrouge1=%.4f%nrouge2=%.4f%nrougeL=%.4f%n",
                    s.manifest().method(), rate, r.texts(), r.bleu(), r.prefixExactMatch(), rouge.rouge1(), rouge.rouge2(), rouge.rougeL());
            System.out.printf("loss=%.4f%nperplexity=%.4f%nloss_no_soft=%.4f%ninfo_nats=%.4f%ncompress_s=%.3f%ndecode_s=%.3f%n",
                    r.loss(), r.perplexity(), r.lossWithoutSoftTokens(), r.informationNats(), r.compressSeconds(), r.decodeSeconds());
        }
        return 0;
    }

    private int qa() throws Exception {
        List<QaExample> examples = data != null ? QaData.read(data, format) : QaData.synthetic(seed, count, documents);
        if (examples.size() > count) examples = examples.subList(0, count);
        if (gmsa != null) {
            try (GmsaSystem s = GmsaSystem.load(gmsa)) {
                print(s.manifest().method(), s.evaluateQa(examples, rate, maxAnswerTokens));
            }
        } else {
            try (PretrainedModel m = PretrainedModel.load(decoder)) {
                int eos = m.config().eosTokenIds().isEmpty() ? m.requireTokenizer().tokenId("</s>") : m.config().eosTokenIds().get(0);
                print("original-prompt", Evaluation.qa(null, m.model(), m.requireTokenizer(), examples, 1, Integer.MAX_VALUE,
                        QaPrompt.defaults(), eos, maxAnswerTokens));
            }
        }
        return 0;
    }

    private static void print(String method, Evaluation.Qa r) {
        System.out.printf("method=%s%nquestions=%d%nem=%.4f%nf1=%.4f%naccuracy=%.4f%ncompress_s=%.3f%nanswer_s=%.3f%n",
                method, r.questions(), r.exactMatch(), r.f1(), r.accuracy(), r.compressSeconds(), r.answerSeconds());
    }
}
