package dev.gmsa.cli.lm;

import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/** Rewrites a model folder with its weights in another dtype (e.g. BF16 to ship), keeping its tokenizer files. */
@Command(name = "convert", showDefaultValues = true, description = "Copy a model folder with its weights stored as --dtype; prints params= and bytes=.")
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model folder (config.json + *.safetensors)") Path model;
    @Option(names = "--dtype", defaultValue = "bf16", description = "f32, bf16 or f16") String dtype;
    @Option(names = "--out", required = true, description = "model folder to write") Path out;

    @Override
    public Integer call() throws Exception {
        DType storage = DType.floatingByName(dtype);
        if (model.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize()))
            throw new IllegalArgumentException("--out must differ from --model (the weights are read in place while writing)");
        try (PretrainedModel m = PretrainedModel.load(model)) {
            Files.createDirectories(out);
            PretrainedModel.save(out, m.model(), m.tokenizer(), storage);
            for (String file : new String[] {"tokenizer.json", "tokenizer_config.json"})
                if (Files.exists(model.resolve(file))) Files.copy(model.resolve(file), out.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            long params = m.model().parameters().values().stream().mapToLong(v -> v.numel()).sum();
            System.out.printf("model=%s%ndtype=%s%nparams=%d%nbytes=%d%n", out, storage, params, Files.size(out.resolve("model.safetensors")));
        }
        return 0;
    }
}
