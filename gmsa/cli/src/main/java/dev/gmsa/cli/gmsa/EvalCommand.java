package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.data.AutoencoderCorpusReader;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.Evaluation;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.compress.pipeline.OriginalPrompt;
import dev.gmsa.compress.pipeline.QaData;
import dev.gmsa.compress.pipeline.QaPrompt;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.compress.pipeline.TextWindows;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The paper's metrics for one method on a data set: reconstruction scored on greedy restatements of windows of the
 * data's documents, or QA answered greedily. Without --gmsa it evaluates the shipped artifacts on the shipped
 * held-out data; every timing is seconds per example.
 */
@Command(name = "eval", showDefaultValues = true, description = {
        "Reconstruction (bleu=, prefix_em=, rouge1=, rouge2=, rougeL=, loss=, perplexity=, loss_no_soft=) or QA (em=, f1=, accuracy=),",
        "with compress_s=, answer_s=, total_s= per example. Reconstruction is greedy decoding of windows of --context-tokens;",
        "ROUGE values are F-measures averaged over texts; perplexity= is exp(mean cross-entropy per token) of the texts (+ EOS) given their soft tokens."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "a GMSA folder, or a folder with one per method (default: the shipped artifacts)") Path gmsa;
    @Option(names = "--method", description = "gmsa, tcp-ae, icae or original (default: the folder's own method; gmsa for a bundle)") String method;
    @Option(names = "--decoder", description = "with --method original: this folder (a plain decoder, or one from train-keft --decoder) instead of the bundle's") Path decoder;
    @Option(names = "--task", defaultValue = "reconstruct", description = "reconstruct or qa") String task;
    @Option(names = "--data", description = "texts JSONL (reconstruct) or QA file (qa); default: the shipped held-out data without --gmsa, generated data with it") Path data;
    @Option(names = "--format", defaultValue = "qa", description = "QA layout: qa, pwc, squad") String format;
    @Option(names = {"--limit", "--count"}, defaultValue = "50", description = "examples to evaluate (the first N windows or questions)") int limit;
    @Option(names = "--context-tokens", defaultValue = "128", description = "tokens per reconstruction window") int contextTokens;
    @Option(names = "--documents", defaultValue = "5", description = "documents per generated QA example") int documents;
    @Option(names = "--rate", defaultValue = "4", description = "compression rate") int rate;
    @Option(names = "--max-answer-tokens", defaultValue = "16", description = "longest answer generated (qa)") int maxAnswerTokens;
    @Option(names = "--seed", defaultValue = "12345", description = "seed of generated data") long seed;

    @Override
    public Integer call() throws Exception {
        if (rate < 1) throw new IllegalArgumentException("--rate must be >= 1, got " + rate);
        if (limit < 1) throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        String m = method != null ? method : gmsa != null && java.nio.file.Files.exists(gmsa.resolve(GmsaFolder.MANIFEST))
                ? GmsaFolder.readManifest(gmsa).method() : decoder != null ? "original" : "gmsa";
        return switch (task) {
            case "reconstruct" -> reconstruct(m);
            case "qa" -> qa(m);
            default -> throw new IllegalArgumentException("unknown task " + task + " (reconstruct, qa)");
        };
    }

    private int reconstruct(String m) throws Exception {
        if (m.equals("original")) throw new IllegalArgumentException("reconstruct needs a compressor: --method gmsa, tcp-ae or icae");
        try (GmsaSystem s = GmsaFolder.load(methodFolder(m))) {
            Tokenizer t = s.decoderTokenizer();
            Path texts = data != null ? data : gmsa == null ? ShippedModels.data("heldout-text.jsonl") : null;
            List<int[]> windows = texts != null ? TextWindows.of(AutoencoderCorpusReader.read(texts), t, contextTokens, limit) : generated(t);
            var r = s.evaluateReconstruction(windows, rate);
            Evaluation.RougeF rouge = Evaluation.rouge(r);
            int n = r.texts();
            System.out.printf("method=%s%ntask=reconstruct%nrate=%d%ncontext_tokens=%d%ntexts=%d%nbleu=%.4f%nprefix_em=%.4f%nrouge1=%.4f%nrouge2=%.4f%nrougeL=%.4f%n",
                    s.manifest().method(), rate, contextTokens, n, r.bleu(), r.prefixExactMatch(), rouge.rouge1(), rouge.rouge2(), rouge.rougeL());
            System.out.printf("loss=%.4f%nperplexity=%.4f%nloss_no_soft=%.4f%ninfo_nats=%.4f%n", r.loss(), r.perplexity(), r.lossWithoutSoftTokens(), r.informationNats());
            printTimes(r.compressSeconds() / n, r.decodeSeconds() / n);
        }
        return 0;
    }

    /** Generated stories (the embedded decoder's own language), cut to --context-tokens. */
    private List<int[]> generated(Tokenizer t) {
        List<int[]> texts = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < limit; i++) {
            int[] ids = t.encode(EmbeddedDefault.text(rng, contextTokens * 8));
            texts.add(Arrays.copyOf(ids, Math.min(ids.length, contextTokens)));
        }
        return texts;
    }

    private int qa(String m) throws Exception {
        Path file = data != null ? data : gmsa == null && decoder == null ? ShippedModels.data("qa-10docs.jsonl") : null;
        List<QaExample> examples = file != null ? QaData.read(file, format) : QaData.synthetic(seed, limit, documents);
        if (examples.size() > limit) examples = examples.subList(0, limit);
        if (!m.equals("original")) {
            try (GmsaSystem s = GmsaFolder.load(methodFolder(m))) {
                print(s.manifest().method(), s.evaluateQa(examples, rate, maxAnswerTokens));
            }
            return 0;
        }
        try (OriginalPrompt d = OriginalPrompt.load(decoder != null ? decoder : methodFolder("original"))) {
            print("original", Evaluation.qa(null, d.model(), d.tokenizer(), examples, 1, Integer.MAX_VALUE,
                    QaPrompt.defaults(), d.eos(), maxAnswerTokens));
        }
        return 0;
    }

    private Path methodFolder(String m) {
        return ShippedModels.methodFolder(gmsa, m);
    }

    private static void print(String method, Evaluation.Qa r) {
        int n = r.questions();
        System.out.printf("method=%s%ntask=qa%nquestions=%d%nem=%.4f%nf1=%.4f%naccuracy=%.4f%n", method, n, r.exactMatch(), r.f1(), r.accuracy());
        printTimes(r.compressSeconds() / n, r.answerSeconds() / n);
    }

    private static void printTimes(double compress, double answer) {
        System.out.printf("compress_s=%.4f%nanswer_s=%.4f%ntotal_s=%.4f%n", compress, answer, compress + answer);
    }
}
