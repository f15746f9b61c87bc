package dev.gmsa.compress.train;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.AdamW;
import dev.gmsa.autograd.optim.GradClip;
import dev.gmsa.autograd.optim.LinearSchedule;
import dev.gmsa.autograd.optim.ParamGroup;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.DecoderInput;
import dev.gmsa.transformer.Transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Stage 1: the decoder is frozen and reads [soft tokens][instruction]; the loss is the cross-entropy of the
 * original text + EOS. The compression rate is drawn per example from a set (the paper: {4, 8}).
 */
public final class AutoencoderTraining {
    public record Settings(int steps, int batch, int[] rates, float learningRate, int warmupSteps, float clipNorm,
                           float weightDecay, long seed, int[] instruction, int eos) {}

    public record Result(float[] losses, double tokensPerSecond, double seconds) {}

    private AutoencoderTraining() {}

    /**
     * @param texts draws one training window of token ids from the random generator it is given
     */
    public static Result train(Compressor compressor, Transformer decoder, Function<SplittableRandom, int[]> texts,
                               Settings s, LossCurve curve) {
        decoder.parameters().values().forEach(p -> p.requiresGrad(false));
        List<Var> params = new ArrayList<>(compressor.trainableParameters().values());
        AdamW optimizer = new AdamW(List.of(new ParamGroup(params, s.learningRate(), s.weightDecay())), 0.9f, 0.999f, 1e-8f);
        LinearSchedule schedule = new LinearSchedule(s.warmupSteps(), s.steps());
        float[] losses = new float[s.steps()];
        compressor.setTraining(true);
        String run = compressor.spec().name();
        try (TrainingProgress progress = new TrainingProgress("ae " + run, s.steps(), 0)) {
            for (int step = 0; step < s.steps(); step++) {
                // one generator per step: a resumed run draws the same batches from the same step on
                SplittableRandom rng = new SplittableRandom(s.seed() * 1_000_003L + step);
                optimizer.zeroGrad();
                double lossSum = 0;
                long tokens = 0;
                for (int b = 0; b < s.batch(); b++) {
                    int[] text = texts.apply(rng);
                    int rate = s.rates()[rng.nextInt(s.rates().length)];
                    DecoderInput input = DecoderInput.of(decoder, compressor.compress(text, rate), s.instruction(), text, s.eos());
                    Var loss = input.loss(decoder).mul(1f / s.batch());
                    loss.backward();
                    lossSum += loss.item();
                    tokens += text.length;
                }
                GradClip.clipGlobalNorm(params, s.clipNorm());
                optimizer.setLearningRateScale(schedule.multiplier(step));
                optimizer.step();
                losses[step] = (float) lossSum;
                if (curve != null) curve.add(run, step + 1, lossSum);
                progress.step(losses[step], tokens);
            }
            compressor.setTraining(false);
            return new Result(losses, progress.tokensPerSecond(), progress.elapsedSeconds());
        }
    }
}
