package dev.gmsa.compress.train;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.transformer.Transformer;

import java.util.List;
import java.util.Map;

/**
 * Stage 2, Knowledge Extraction Fine-Tuning: the compressor is frozen (its soft tokens are constants) and
 * the decoder learns to answer from [soft tokens][question] -> answer + EOS, updating only the given decoder
 * parameters (W_Q/K/V deltas by default, see KeftMode). With no compressor the decoder reads the original
 * context as text instead: the same loop then fine-tunes the "original prompt" baseline. The frozen compressor
 * runs in inference mode (no LoRA dropout), as it will when the fine-tuned decoder is used.
 */
public final class KeftTraining {
    /** One question and its answer, in decoder ids. */
    public record Turn(int[] question, int[] answer) {}

    /**
     * One QA example as token ids; context is the (concatenated) documents, in the encoder tokenizer's ids when a
     * compressor reads it (the decoder's when the decoder reads it as text); questions and answers are decoder ids.
     * Usually one turn; a drill asks several questions of one context, each answer scored (one forward for all).
     */
    public record Example(int[] context, List<Turn> turns) {
        public Example {
            if (turns.isEmpty()) throw new IllegalArgumentException("KEFT: an example needs at least one question");
            turns = List.copyOf(turns);
        }

        public Example(int[] context, int[] question, int[] answer) {
            this(context, List.of(new Turn(question, answer)));
        }

        /** The first turn's question (the only one, outside drills). */
        public int[] question() {
            return turns.get(0).question();
        }

        public int[] answer() {
            return turns.get(0).answer();
        }

        int tokens() {
            int n = context.length;
            for (Turn t : turns) n += t.question().length + t.answer().length + 1;
            return n;
        }
    }

    public record Task(int batch, int rate, int window, int eos) {}

    private KeftTraining() {}

    public static TrainingLoop.Result train(String name, Compressor compressor, Transformer decoder, Map<String, Var> trainable,
                                            List<Example> examples, Task task, TrainingLoop.Settings settings, LossCurve curve) {
        if (examples.isEmpty()) throw new IllegalArgumentException("KEFT: no training examples");
        if (compressor != null) compressor.setTraining(false);
        return TrainingLoop.run(name, trainable, settings, (step, rng) -> {
            double lossSum = 0;
            long tokens = 0;
            for (int b = 0; b < task.batch(); b++) {
                Example ex = examples.get(rng.nextInt(examples.size()));
                DecoderInput input = input(compressor, decoder, ex, task.rate(), task.window(), task.eos());
                Var loss = input.loss(decoder).mul(1f / task.batch());
                loss.backward();
                lossSum += loss.item();
                tokens += ex.tokens();
            }
            return new TrainingLoop.StepResult(lossSum, tokens);
        }, curve);
    }

    /**
     * [soft tokens of the context] then each turn's question -> answer EOS, or the same with the context as text
     * without a compressor; only the answers (and their EOS) are scored.
     */
    public static DecoderInput input(Compressor compressor, Transformer decoder, Example ex, int rate, int window, int eos) {
        List<int[]> questions = ex.turns().stream().map(Turn::question).toList(), answers = ex.turns().stream().map(Turn::answer).toList();
        if (compressor == null) return DecoderInput.ofTurns(decoder, null, ex.context(), questions, answers, eos);
        Var soft;
        try (var frozen = Grad.disabled()) {
            soft = Var.constant(compressor.compressWindows(ex.context(), rate, window).value());
        }
        return DecoderInput.ofTurns(decoder, soft, new int[0], questions, answers, eos);
    }
}
