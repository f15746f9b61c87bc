package dev.gmsa.compress.pipeline;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.data.QaExample;
import dev.gmsa.compress.metrics.AnswerAccuracy;
import dev.gmsa.compress.metrics.AnswerF1;
import dev.gmsa.compress.metrics.Bleu;
import dev.gmsa.compress.metrics.ExactMatch;
import dev.gmsa.compress.metrics.PrefixExactMatch;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.tensor.Tensor;
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
    public record Reconstruction(int texts, double bleu, double prefixExactMatch, double loss, double lossWithoutSoftTokens,
                                 double compressSeconds, double decodeSeconds, List<String> references, List<String> hypotheses) {
        /** Nats per token the soft tokens save the decoder: what they carry about the text. */
        public double informationNats() {
            return lossWithoutSoftTokens - loss;
        }
    }

    public record Qa(int questions, double exactMatch, double f1, double accuracy, double compressSeconds, double answerSeconds) {}

    private Evaluation() {}

    /** Compress each text at {@code rate}, restate it greedily, and score against the original. */
    public static Reconstruction reconstruction(Compressor compressor, Transformer decoder, Tokenizer tokenizer, List<int[]> texts,
                                                int rate, int[] instruction, int eos) {
        List<String> hypotheses = new ArrayList<>(), references = new ArrayList<>();
        double prefix = 0, loss = 0, lossBare = 0, compressNanos = 0, decodeNanos = 0;
        Generator generator = new Generator(decoder, tokenizer);
        try (var noGrad = Grad.disabled()) {
            for (int[] text : texts) {
                long t0 = System.nanoTime();
                Var soft = compressor.compress(text, rate);
                long t1 = System.nanoTime();
                var request = new Generator.Request(text.length + 16, SamplingSettings.greedyDecoding(), Set.of(eos), List.of());
                Generator.Result r = generator.generate(prompt(decoder, soft, instruction), request, null);
                decodeNanos += System.nanoTime() - t1;
                compressNanos += t1 - t0;
                hypotheses.add(tokenizer.decode(r.ids()));
                references.add(tokenizer.decode(text));
                prefix += PrefixExactMatch.score(r.ids(), text);
                loss += DecoderInput.of(decoder, soft, instruction, text, eos).loss(decoder).item();
                lossBare += DecoderInput.of(decoder, null, instruction, text, eos).loss(decoder).item();
            }
        }
        int n = texts.size();
        double bleu = Bleu.corpusDefaults().corpusScoreSingleReference(hypotheses, references).score();
        return new Reconstruction(n, bleu, prefix / n, loss / n, lossBare / n, compressNanos / 1e9, decodeNanos / 1e9,
                List.copyOf(references), List.copyOf(hypotheses));
    }

    /**
     * Answers each question from the compressed documents (compressor non-null) or from the documents as
     * text (compressor null: the original-prompt baseline), and scores against the gold answers.
     */
    public static Qa qa(Compressor compressor, Transformer decoder, Tokenizer tokenizer, List<QaExample> examples, int rate,
                        int window, QaPrompt format, int eos, int maxAnswerTokens) {
        double em = 0, f1 = 0, acc = 0, compressNanos = 0, answerNanos = 0;
        Generator generator = new Generator(decoder, tokenizer);
        try (var noGrad = Grad.disabled()) {
            for (QaExample ex : examples) {
                int[] context = format.context(tokenizer, ex);
                int[] question = format.question(tokenizer, ex.question());
                long t0 = System.nanoTime();
                Var prompt;
                if (compressor != null) {
                    Var soft = compressor.compressWindows(context, rate, window);
                    compressNanos += System.nanoTime() - t0;
                    prompt = Evaluation.prompt(decoder, soft, question);
                } else {
                    prompt = decoder.embed(Tensor.ofInts(concat(context, question), 1, context.length + question.length));
                }
                long t1 = System.nanoTime();
                var request = new Generator.Request(maxAnswerTokens, SamplingSettings.greedyDecoding(), Set.of(eos), List.of());
                String answer = tokenizer.decode(generator.generate(prompt, request, null).ids()).strip();
                answerNanos += System.nanoTime() - t1;
                em += ExactMatch.score(answer, ex.answers());
                f1 += AnswerF1.score(answer, ex.answers());
                acc += AnswerAccuracy.score(answer, ex.answers());
            }
        }
        int n = examples.size();
        return new Qa(n, em / n, f1 / n, acc / n, compressNanos / 1e9, answerNanos / 1e9);
    }

    /** [soft tokens][prompt ids] as decoder input embeddings. */
    static Var prompt(Transformer decoder, Var soft, int[] ids) {
        if (ids.length == 0) return soft;
        return Var.concat(1, soft, decoder.embed(Tensor.ofInts(ids, 1, ids.length)));
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
