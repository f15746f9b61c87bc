package dev.gmsa.cli.lm;

import dev.gmsa.cli.DeviceOption;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.loaders.LoadException;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;

/** Streams a continuation of a prompt from a Hugging Face model folder. */
@Command(name = "generate", description = {"Generate text from a model folder; prints prefill_tok_s= and decode_tok_s= at the end.",
        "--prompt is encoded as Hugging Face's tokenizer(text) does: with the post-processor's special tokens (e.g. BOS); --ids are used as given."})
public final class GenerateCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    DeviceOption device = new DeviceOption();

    @Option(names = "--model", paramLabel = "DIR", description = "model folder (default: the shipped decoder)")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    TokenInput input;

    @Option(names = "--greedy", description = "always take the most likely token")
    boolean greedy;

    @Option(names = "--temperature", defaultValue = "1.0")
    float temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "keep the k best tokens (0 = all)")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "keep the smallest set reaching this probability")
    float topP;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--max-new-tokens", defaultValue = "64")
    int maxNewTokens;

    @Option(names = "--stop", description = "stop when this text appears (repeatable)")
    List<String> stops = List.of();

    @Option(names = "--print-ids", description = "print the generated ids as ids=")
    boolean printIds;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Override
    public Integer call() {
        if (threads != null) Parallel.setThreads(threads);
        device.apply();
        if (model == null) model = ShippedModels.decoder();
        try (PretrainedModel pm = PretrainedModel.load(model)) {
            int[] prompt = input.ids != null ? input.ids : pm.requireTokenizer().encodeWithSpecialTokens(input.textOrNull());
            var sampling = greedy ? SamplingSettings.greedyDecoding() : new SamplingSettings(false, temperature, topK, topP, seed);
            var request = new Generator.Request(maxNewTokens, sampling, new HashSet<>(pm.config().eosTokenIds()), stops);
            boolean streamText = pm.tokenizer() != null;
            Generator.Result r = new Generator(pm.model(), pm.tokenizer()).generate(prompt, request, streamText ? s -> {
                System.out.print(s);
                System.out.flush();
            } : null);
            if (streamText) System.out.println();
            if (printIds) System.out.println("ids=" + TokenInput.joinIds(r.ids()));
            System.out.printf("prompt_tokens=%d%nnew_tokens=%d%nstop_reason=%s%nprefill_tok_s=%.1f%ndecode_tok_s=%.1f%n",
                    r.promptTokens(), r.ids().length, r.stopReason(), r.prefillTokensPerSecond(), r.decodeTokensPerSecond());
            return 0;
        } catch (LoadException | IllegalArgumentException e) {
            System.err.println("gmsa generate: " + e.getMessage());
            return 1;
        }
    }
}
