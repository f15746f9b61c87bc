package dev.gmsa.compress.train;

import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.transformer.Transformer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Stage 1: the decoder is frozen and reads [soft tokens][instruction]; the loss is the cross-entropy of the
 * original text + EOS. The compression rate is drawn per example from a set (the paper: {4, 8}). Texts are
 * drawn as the encoder tokenizer's ids; the targets are the same text in the decoder tokenizer's ids.
 * LoRA dropout is on for these steps only.
 */
public final class AutoencoderTraining {
    /**
     * batch examples per step (gradients accumulated), rates to draw from, the instruction ids and EOS (decoder
     * tokenizer), and decoderTargets: a drawn text's encoder ids -> its decoder ids (the identity when the encoder
     * and decoder share a tokenizer).
     */
    public record Task(int batch, int[] rates, int[] instruction, int eos, UnaryOperator<int[]> decoderTargets) {
        /** Encoder and decoder share one tokenizer: the targets are the drawn ids themselves. */
        public Task(int batch, int[] rates, int[] instruction, int eos) {
            this(batch, rates, instruction, eos, UnaryOperator.identity());
        }
    }

    /** One drawn text: what the encoder reads and what the decoder must restate. */
    private record Example(int[] encoderIds, int[] targets) {}

    private AutoencoderTraining() {}

    /** @param texts draws one training window of encoder-tokenizer ids from the generator it is given */
    public static TrainingLoop.Result train(Compressor compressor, Transformer decoder, Function<SplittableRandom, int[]> texts,
                                            Task task, TrainingLoop.Settings settings, LossCurve curve) {
        decoder.parameters().values().forEach(p -> p.requiresGrad(false));
        compressor.setTraining(true);
        try {
            return TrainingLoop.run(compressor.spec().name(), compressor.trainableParameters(), settings, (step, rng) -> {
                compressor.reseedDropout(rng.nextLong());
                // examples of one length (both sides) and rate run as one batch; the step's loss is the mean over examples
                Map<List<Integer>, List<Example>> groups = new LinkedHashMap<>();
                for (int b = 0; b < task.batch(); b++) {
                    int[] text = texts.apply(rng);
                    Example ex = new Example(text, task.decoderTargets().apply(text));
                    int rate = task.rates()[rng.nextInt(task.rates().length)];
                    groups.computeIfAbsent(List.of(ex.encoderIds().length, ex.targets().length, rate), k -> new ArrayList<>()).add(ex);
                }
                double lossSum = 0;
                long tokens = 0;
                for (var group : groups.entrySet()) {
                    List<Example> examples = group.getValue();
                    int[][] encoderIds = examples.stream().map(Example::encoderIds).toArray(int[][]::new);
                    int[][] targets = examples.stream().map(Example::targets).toArray(int[][]::new);
                    Var soft = compressor.compress(encoderIds, group.getKey().get(2));
                    Var loss = DecoderInput.of(decoder, soft, task.instruction(), targets, task.eos()).loss(decoder)
                            .mul((float) examples.size() / task.batch());
                    loss.backward();
                    lossSum += loss.item();
                    tokens += (long) examples.size() * encoderIds[0].length;
                }
                return new TrainingLoop.StepResult(lossSum, tokens);
            }, curve);
        } finally {
            compressor.setTraining(false);
        }
    }
}
