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
    /**
     * One QA example as token ids; context is the (concatenated) documents, in the encoder tokenizer's ids when a
     * compressor reads it (the decoder's when the decoder reads it as text); question and answer are decoder ids.
     */
    public record Example(int[] context, int[] question, int[] answer) {}

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
                tokens += ex.context().length + ex.question().length + ex.answer().length;
            }
            return new TrainingLoop.StepResult(lossSum, tokens);
        }, curve);
    }

    /** [soft tokens of the context][question] -> answer, or [context][question] -> answer without a compressor. */
    public static DecoderInput input(Compressor compressor, Transformer decoder, Example ex, int rate, int window, int eos) {
        if (compressor == null) {
            int[] prompt = new int[ex.context().length + ex.question().length];
            System.arraycopy(ex.context(), 0, prompt, 0, ex.context().length);
            System.arraycopy(ex.question(), 0, prompt, ex.context().length, ex.question().length);
            return DecoderInput.of(decoder, null, prompt, ex.answer(), eos);
        }
        Var soft;
        try (var frozen = Grad.disabled()) {
            soft = Var.constant(compressor.compressWindows(ex.context(), rate, window).value());
        }
        return DecoderInput.of(decoder, soft, ex.question(), ex.answer(), eos);
    }
}
