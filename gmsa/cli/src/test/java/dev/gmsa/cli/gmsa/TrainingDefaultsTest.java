package dev.gmsa.cli.gmsa;

import dev.gmsa.cli.Main;

import dev.gmsa.autograd.Var;
import dev.gmsa.compress.model.KeftMode;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Map;

import dev.gmsa.compress.train.Recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training commands default to the project's recipes ({@link Recipes}: what trained the shipped artifacts; the
 * paper's Appendix D values for 7B models are flags away) and keep the paper's method: rates {4, 8}, one LSA block,
 * the instruction "Restate the aforementioned Text.", KEFT on W_Q, W_K, W_V. Options are read back from a parse
 * with only the required ones; the optimizer and schedule, which have no option, from what the shared training
 * loop does to one parameter.
 */
class TrainingDefaultsTest {
    private static Object parse(String... args) {
        CommandLine.ParseResult parsed = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void trainAeDefaultsAreTheAutoencoderRecipe() {
        TrainAeCommand ae = (TrainAeCommand) parse("train-ae", "--decoder", "dec", "--out", "out");
        assertEquals(Recipes.AUTOENCODER, ae.recipe(), "steps, batch, learning rate, warm-up, clip and weight decay come from the recipe");
        assertEquals(0.4, Recipes.AUTOENCODER.warmupSteps() / (double) Recipes.AUTOENCODER.steps(), 1e-9, "the long warm-up");
        assertEquals(List.of(4, 8), ae.rates, "rates sampled per example");
        assertEquals("gmsa", ae.method);
        assertEquals(1, ae.lsaLayers, "k_LSA");
        assertEquals(512, ae.contextTokens, "PwC's maximum training length");
        assertEquals("Restate the aforementioned Text.", ae.instruction);
        TrainAeCommand overridden = (TrainAeCommand) parse("train-ae", "--decoder", "dec", "--out", "out", "--steps", "100", "--lr", "1e-4");
        assertEquals(100, overridden.recipe().steps());
        assertEquals(40, overridden.recipe().warmupSteps(), "the warm-up scales with --steps");
        assertEquals(1e-4f, overridden.recipe().learningRate());
    }

    @Test
    void trainKeftDefaultsAreTheKeftRecipe() {
        TrainKeftCommand keft = (TrainKeftCommand) parse("train-keft", "--gmsa", "g");
        assertEquals(Recipes.KEFT, keft.recipe());
        assertEquals(KeftMode.QKV, keft.mode, "the paper trains W_Q, W_K, W_V");
        assertEquals(KeftMode.WHOLE_DECODER, ((TrainKeftCommand) parse("train-keft", "--gmsa", "g", "--mode", "whole_decoder")).mode);
    }

    /**
     * The loop both commands run: AdamW (betas 0.9 / 0.999, eps 1e-8, decoupled weight decay) on gradients clipped
     * to the global norm, with a learning rate that rises linearly over the warm-up and falls linearly to 0 at the
     * last step. Recomputed by hand for one scalar parameter whose gradients vary in size, so that neither the
     * clipping nor the schedule is invisible to Adam's normalisation.
     */
    @Test
    void theTrainingLoopIsAdamWWithClippingAndALinearSchedule() {
        float[] gradients = {5f, 1f, -3f, 0.5f, 2.5f, -0.2f};
        int steps = gradients.length, warmup = 2;
        float lr = 0.1f, clip = 2f, weightDecay = 0.1f, start = 0.7f;
        Var w = Var.param("w", Tensor.of(new float[] {start}, 1));
        TrainingLoop.run("defaults", Map.of("w", w), TrainingLoop.Settings.of(steps, lr).warmup(warmup).clip(clip).weightDecay(weightDecay),
                (step, rng) -> {
                    Var loss = w.mul(gradients[step]).sum(); // d loss / d w = gradients[step]
                    loss.backward();
                    return new TrainingLoop.StepResult(loss.item(), 1);
                }, null);
        double expected = adamW(start, gradients, warmup, lr, clip, weightDecay);
        assertEquals(expected, w.value().item(), 1e-5, "AdamW + clip + linear schedule");
        // the by-hand value is far from what a loop without clipping, or with a constant rate, would reach
        assertTrue(Math.abs(expected - adamW(start, gradients, warmup, lr, Float.MAX_VALUE, weightDecay)) > 1e-3, "clipping is visible");
        assertTrue(Math.abs(expected - constantRateAdamW(start, gradients, lr, clip, weightDecay)) > 1e-2, "the schedule is visible");
    }

    private static double adamW(double w, float[] gradients, int warmup, double lr, double clip, double weightDecay) {
        int steps = gradients.length;
        double m = 0, v = 0;
        for (int t = 0; t < steps; t++) {
            double multiplier = t < warmup ? (double) t / warmup : (double) (steps - t) / (steps - warmup);
            w = adamWStep(w, gradients[t], t + 1, lr * multiplier, clip, weightDecay, m, v);
            double g = clipped(gradients[t], clip);
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
        }
        return w;
    }

    private static double constantRateAdamW(double w, float[] gradients, double lr, double clip, double weightDecay) {
        double m = 0, v = 0;
        for (int t = 0; t < gradients.length; t++) {
            w = adamWStep(w, gradients[t], t + 1, lr, clip, weightDecay, m, v);
            double g = clipped(gradients[t], clip);
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
        }
        return w;
    }

    /** One torch.optim.AdamW step from moments (m, v) before it. */
    private static double adamWStep(double w, double gradient, int t, double lr, double clip, double weightDecay, double m, double v) {
        double g = clipped(gradient, clip);
        double m1 = 0.9 * m + 0.1 * g, v1 = 0.999 * v + 0.001 * g * g;
        double mHat = m1 / (1 - Math.pow(0.9, t)), vHat = v1 / (1 - Math.pow(0.999, t));
        return w - lr * (mHat / (Math.sqrt(vHat) + 1e-8) + weightDecay * w);
    }

    /** A scalar's global norm is its size: clipping rescales it to at most {@code clip}. */
    private static double clipped(double g, double clip) {
        return Math.abs(g) > clip ? g * clip / Math.abs(g) : g;
    }
}
