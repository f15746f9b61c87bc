package dev.gmsa.cli.lm;

import dev.gmsa.cli.DeviceOption;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.loaders.LoadException;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Mean next-token cross-entropy of a sequence (labels = inputs, as Hugging Face computes it). */
@Command(name = "score", description = {"Mean next-token cross-entropy of a text under a model; prints tokens=, loss= and ppl=.",
        "--text is encoded as Hugging Face's tokenizer(text) does: with the post-processor's special tokens (e.g. BOS); --ids are used as given."})
public final class ScoreCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--model", paramLabel = "DIR", description = "model folder (default: the shipped decoder)")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenInput input;

    @Override
    public Integer call() {
        device.apply();
        if (model == null) model = ShippedModels.decoder();
        try (PretrainedModel pm = PretrainedModel.load(model); var noGrad = Grad.disabled()) {
            int[] ids = input.ids != null ? input.ids : pm.requireTokenizer().encodeWithSpecialTokens(input.textOrNull());
            if (ids.length < 2) throw new IllegalArgumentException("score needs at least 2 tokens, got " + ids.length);
            int t = ids.length;
            Var logits = pm.model().forward(Tensor.ofInts(ids, 1, t), 0, null);
            int[] targets = java.util.Arrays.copyOfRange(ids, 1, t);
            float loss = logits.narrow(1, 0, t - 1).reshape(t - 1, -1).crossEntropy(Tensor.ofInts(targets), -100).item();
            System.out.printf("tokens=%d%nloss=%.6f%nppl=%.4f%n", t, loss, Math.exp(loss));
            return 0;
        } catch (LoadException | IllegalArgumentException e) {
            System.err.println("gmsa score: " + e.getMessage());
            return 1;
        }
    }
}
