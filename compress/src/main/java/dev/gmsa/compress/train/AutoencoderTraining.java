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

/**
 * Stage 1: the decoder is frozen and reads [soft tokens][instruction]; the loss is the cross-entropy of the
 * original text + EOS. The compression rate is drawn per example from a set (the paper: {4, 8}).
 */
public final class AutoencoderTraining {
    /** batch examples per step (gradients accumulated), rates to draw from, the instruction ids and EOS. */
    public record Task(int batch, int[] rates, int[] instruction, int eos) {}

    private AutoencoderTraining() {}

    /** @param texts draws one training window of token ids from the generator it is given */
    public static TrainingLoop.Result train(Compressor compressor, Transformer decoder, Function<SplittableRandom, int[]> texts,
                                            Task task, TrainingLoop.Settings settings, LossCurve curve) {
        decoder.parameters().values().forEach(p -> p.requiresGrad(false));
        compressor.setTraining(true);
        try {
            return TrainingLoop.run(compressor.spec().name(), compressor.trainableParameters(), settings, (step, rng) -> {
                compressor.reseedDropout(rng.nextLong());
                // examples of one length and rate run as one batch; the step's loss is the mean over examples
                Map<List<Integer>, List<int[]>> groups = new LinkedHashMap<>();
                for (int b = 0; b < task.batch(); b++) {
                    int[] text = texts.apply(rng);
                    int rate = task.rates()[rng.nextInt(task.rates().length)];
                    groups.computeIfAbsent(List.of(text.length, rate), k -> new ArrayList<>()).add(text);
                }
                double lossSum = 0;
                long tokens = 0;
                for (var group : groups.entrySet()) {
                    int[][] batch = group.getValue().toArray(int[][]::new);
                    Var soft = compressor.compress(batch, group.getKey().get(1));
                    Var loss = DecoderInput.of(decoder, soft, task.instruction(), batch, task.eos()).loss(decoder)
                            .mul((float) batch.length / task.batch());
                    loss.backward();
                    lossSum += loss.item();
                    tokens += (long) batch.length * batch[0].length;
                }
                return new TrainingLoop.StepResult(lossSum, tokens);
            }, curve);
        } finally {
            compressor.setTraining(false);
        }
    }
}
