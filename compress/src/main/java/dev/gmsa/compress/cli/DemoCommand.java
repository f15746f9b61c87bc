package dev.gmsa.compress.cli;

import dev.gmsa.compress.data.SyntheticStories;
import dev.gmsa.compress.train.LanguageModelTraining;
import dev.gmsa.compress.train.LossCurve;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** The README's main job: pre-trains a tiny LLaMA with the engine on generated stories and prints the loss falling. */
@Command(name = "demo", description = "Train a tiny LLaMA on generated stories with the engine; prints step=/loss= lines.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "200", description = "training steps (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--out", defaultValue = "runs/demo", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        ByteTokenizer tokenizer = new ByteTokenizer(List.of("<s>", "</s>"));
        ModelConfig config = new ModelConfig("llama", 64, 176, 2, 4, 2, 16, tokenizer.vocabSize(), 1e-5, 10000.0, null,
                512, true, false, false, false, false, List.of(256), List.of(257), "float32");
        Transformer model = Transformer.randomInit(config, seed);
        String text = SyntheticStories.story(new SplittableRandom(seed), 4000);
        int[] tokens = tokenizer.encode(text);
        var settings = new TrainingLoop.Settings(steps, 3e-3f, Math.max(1, steps / 10), 1.0f, 0.01f, seed, null, 0);
        LossCurve curve = new LossCurve("tiny LLaMA pre-training loss");
        int every = Math.max(1, steps / 10);
        System.out.println("model=llama params=" + model.parameters().values().stream().mapToLong(v -> v.numel()).sum()
                + " layers=" + config.numLayers() + " dim=" + config.hiddenSize() + " vocab=" + config.vocabSize()
                + " threads=" + Parallel.threads());
        var result = LanguageModelTraining.train(model, tokens, 8, 64, settings, curve);
        float[] losses = result.losses();
        for (int step = 1; step <= losses.length; step++)
            if (step % every == 0 || step == 1) System.out.printf("step=%d loss=%.4f%n", step, losses[step - 1]);
        Path png = out.resolve("loss.png");
        curve.writePng(png);
        System.out.printf("loss_first=%.4f%nloss_last=%.4f%ntokens_per_s=%.0f%nseconds=%.1f%nloss_curve=%s%n",
                losses[0], mean(losses, losses.length - Math.min(10, losses.length), losses.length),
                result.tokensPerSecond(), result.seconds(), png);
        return 0;
    }

    private static float mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v[i];
        return (float) (s / (to - from));
    }
}
