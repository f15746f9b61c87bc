package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.metrics.AnswerAccuracy;
import dev.gmsa.compress.metrics.AnswerF1;
import dev.gmsa.compress.metrics.Bleu;
import dev.gmsa.compress.metrics.ExactMatch;
import dev.gmsa.compress.metrics.Perplexity;
import dev.gmsa.compress.metrics.PrefixExactMatch;
import dev.gmsa.compress.metrics.Rouge;
import dev.gmsa.compress.metrics.RougeScore;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The paper's measurements on a data set, for a compressor or for the original prompt: reconstruction
 * (BLEU, prefix exact match, teacher-forced loss next to the loss without soft tokens) and QA (EM, F1,
 * accuracy), with compression and decoding time kept apart.
 */
public final class Evaluation {
    /** @param references the texts as decoded from their ids; hypotheses the greedy restatements, in the same order */
    /**
     * @param perplexity exp of the cross-entropy per scored token over all texts (each text's tokens and its EOS), so a
     *                   long text weighs more than a short one; {@code loss} is the mean of the per-text means
     */
    public record Reconstruction(int texts, double bleu, double prefixExactMatch, double loss, double lossWithoutSoftTokens,
                                 double perplexity, double compressSeconds, double decodeSeconds, List<String> references,
                                 List<String> hypotheses) {
        /** Nats per token the soft tokens save the decoder: what they carry about the text. */
        public double informationNats() {
            return lossWithoutSoftTokens - loss;
        }
    }

    public record Qa(int questions, double exactMatch, double f1, double accuracy, double compressSeconds, double answerSeconds) {}

    private Evaluation() {}

    /** Compress each text at {@code rate}, restate it greedily, and score against the original (one tokenizer on both sides). */
    public static Reconstruction reconstruction(Compressor compressor, Transformer decoder, Tokenizer tokenizer, List<int[]> texts,
                                                int rate, int[] instruction, int eos) {
        return reconstruction(compressor, decoder, TokenizerPair.shared(tokenizer), texts, rate, instruction, eos);
    }

    /**
     * The same with encoder and decoder tokenizers that may differ: texts are the decoder tokenizer's ids (what the
     * restatement is scored against); the compressor reads each as the encoder tokenizer's ids.
     */
    public static Reconstruction reconstruction(Compressor compressor, Transformer decoder, TokenizerPair tokenizers, List<int[]> texts,
                                                int rate, int[] instruction, int eos) {
        Tokenizer tokenizer = tokenizers.decoder();
        List<String> hypotheses = new ArrayList<>(), references = new ArrayList<>();
        double prefix = 0, loss = 0, lossBare = 0, totalNats = 0, compressNanos = 0, decodeNanos = 0;
        long scoredTokens = 0;
        Generator generator = new Generator(decoder, tokenizer);
        try (var noGrad = Grad.disabled()) {
            for (int[] text : texts) {
                int[] encoderIds = tokenizers.toEncoder(text);
                long t0 = System.nanoTime();
                Var soft = compressor.compress(encoderIds, rate);
                long t1 = System.nanoTime();
                Var prompt = prompt(decoder, soft, instruction);
                Generator.Result r = generator.generate(prompt, greedy(decoder, prompt, text.length + 16, eos), null);
                decodeNanos += System.nanoTime() - t1;
                compressNanos += t1 - t0;
                hypotheses.add(tokenizer.decode(r.ids()));
                references.add(tokenizer.decode(text));
                prefix += PrefixExactMatch.score(r.ids(), text);
                DecoderInput input = DecoderInput.of(decoder, soft, instruction, text, eos);
                double textLoss = input.loss(decoder).item();
                loss += textLoss;
                totalNats += textLoss * input.scoredTokens();
                scoredTokens += input.scoredTokens();
                lossBare += DecoderInput.of(decoder, null, instruction, text, eos).loss(decoder).item();
            }
        }
        int n = texts.size();
        double bleu = Bleu.corpusDefaults().corpusScoreSingleReference(hypotheses, references).score();
        return new Reconstruction(n, bleu, prefix / n, loss / n, lossBare / n, Perplexity.fromTotalCrossEntropy(totalNats, scoredTokens),
                compressNanos / 1e9, decodeNanos / 1e9,
                List.copyOf(references), List.copyOf(hypotheses));
    }

    /**
     * Answers each question from the compressed documents (compressor non-null) or from the documents as
     * text (compressor null: the original-prompt baseline), and scores against the gold answers (one tokenizer
     * on both sides).
     */
    public static Qa qa(Compressor compressor, Transformer decoder, Tokenizer tokenizer, List<QaExample> examples, int rate,
                        int window, QaPrompt format, int eos, int maxAnswerTokens) {
        return qa(compressor, decoder, TokenizerPair.shared(tokenizer), examples, rate, window, format, eos, maxAnswerTokens);
    }

    /**
     * The same with encoder and decoder tokenizers that may differ: the documents go into the compressor as the
     * encoder tokenizer's ids (into the decoder as its own ids without a compressor); the question, as KEFT
     * trained it ({@link QaPrompt}), and the answer are the decoder tokenizer's.
     */
    public static Qa qa(Compressor compressor, Transformer decoder, TokenizerPair tokenizers, List<QaExample> examples, int rate,
                        int window, QaPrompt format, int eos, int maxAnswerTokens) {
        Tokenizer tokenizer = tokenizers.decoder();
        double em = 0, f1 = 0, acc = 0, compressNanos = 0, answerNanos = 0;
        Generator generator = new Generator(decoder, tokenizer);
        try (var noGrad = Grad.disabled()) {
            for (QaExample ex : examples) {
                int[] question = format.question(tokenizer, ex.question());
                long t0 = System.nanoTime();
                Var prompt;
                if (compressor != null) {
                    Var soft = compressor.compressWindows(format.context(tokenizers.encoder(), ex), rate, window);
                    compressNanos += System.nanoTime() - t0;
                    prompt = Evaluation.prompt(decoder, soft, question);
                } else {
                    prompt = Evaluation.prompt(decoder, null, concat(format.context(tokenizer, ex), question));
                }
                long t1 = System.nanoTime();
                String answer = tokenizer.decode(generator.generate(prompt, greedy(decoder, prompt, maxAnswerTokens, eos), null).ids()).strip();
                answerNanos += System.nanoTime() - t1;
                em += ExactMatch.score(answer, ex.answers());
                f1 += AnswerF1.score(answer, ex.answers());
                acc += AnswerAccuracy.score(answer, ex.answers());
            }
        }
        int n = examples.size();
        return new Qa(n, em / n, f1 / n, acc / n, compressNanos / 1e9, answerNanos / 1e9);
    }

    /** [soft tokens][prompt ids] as decoder input embeddings, checked against the decoder's positions. */
    static Var prompt(Transformer decoder, Var soft, int[] ids) {
        return DecoderInput.prompt(decoder, soft, ids);
    }

    /** Greedy decoding of at most maxNewTokens, stopping at EOS or at the decoder's last position. */
    static Generator.Request greedy(Transformer decoder, Var prompt, int maxNewTokens, int eos) {
        return new Generator.Request(DecoderInput.generationBudget(decoder, prompt.size(1), maxNewTokens),
                SamplingSettings.greedyDecoding(), Set.of(eos), List.of());
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** ROUGE-1, ROUGE-2 and ROUGE-L F-measures of the restatements against the originals, each the mean over texts. */
    public record RougeF(double rouge1, double rouge2, double rougeL) {}

    /** ROUGE of a reconstruction's hypotheses against its references (rouge-score's defaults, see {@link Rouge}). */
    public static RougeF rouge(Reconstruction r) {
        List<RougeScore> one = new ArrayList<>(), two = new ArrayList<>(), lcs = new ArrayList<>();
        for (int i = 0; i < r.hypotheses().size(); i++) {
            String hypothesis = r.hypotheses().get(i), reference = r.references().get(i);
            one.add(Rouge.rouge1(hypothesis, reference));
            two.add(Rouge.rouge2(hypothesis, reference));
            lcs.add(Rouge.rougeL(hypothesis, reference));
        }
        return new RougeF(RougeScore.mean(one).f1(), RougeScore.mean(two).f1(), RougeScore.mean(lcs).f1());
    }
}
