package dev.gmsa.bench;

import dev.gmsa.compress.pipeline.CopyCheck;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.train.LanguageModelTraining;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.transformer.Transformer;

/** Sizing experiment for the embedded default: args hidden layers steps seqLen batch lr. */
public final class EmbeddedPretrainExperiment {
    public static void main(String[] a) {
        int hidden = Integer.parseInt(a[0]), layers = Integer.parseInt(a[1]), steps = Integer.parseInt(a[2]);
        int seq = Integer.parseInt(a[3]), batch = Integer.parseInt(a[4]);
        float lr = Float.parseFloat(a[5]);
        Transformer m = Transformer.randomInit(EmbeddedDefault.config(hidden, layers), 1);
        var s = new TrainingLoop.Settings(steps, lr, steps / 20 + 1, 1f, 0.01f, 1, null, 0);
        var r = LanguageModelTraining.train(m, rng -> EmbeddedDefault.pretrainingSequence(rng, seq + 1, Double.parseDouble(System.getProperty("copy", "0.5"))), batch, s, null);
        float[] l = r.losses();
        System.out.printf("hidden=%d layers=%d steps=%d loss_last=%.4f tok_s=%.0f seconds=%.1f%n", hidden, layers, steps,
                l[l.length - 1], r.tokensPerSecond(), r.seconds());
        System.out.printf("copy_token_acc_24=%.3f%n", CopyCheck.copyTokenAccuracy(m, 20, 24, 99));
        System.out.printf("copy_exact_24=%.3f%n", CopyCheck.exactCopyRate(m, 20, 24, 99));
    }
}
