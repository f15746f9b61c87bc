package dev.gmsa.cli.gmsa;

import dev.gmsa.tensor.DType;
import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.compress.data.AutoencoderCorpusReader;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.pipeline.GmsaSystem;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Compresses a context, or every document of a JSONL corpus, into soft-token files: compress once, ask many times. */
@Command(name = "compress", description = "Compress text into soft-token files (.gmst). Prints file=, context_tokens=, soft_tokens=, seconds=.")
public final class CompressCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "a GMSA folder from train-ae / train-keft (default: the shipped GMSA)") Path gmsa;

    static final class Source {
        @Option(names = "--text") String text;
        @Option(names = "--text-file") Path textFile;
        @Option(names = "--jsonl", description = "one soft-token file per {\"text\": ...} line") Path jsonl;
    }

    @ArgGroup(exclusive = true, multiplicity = "1") Source source;
    @Option(names = "--rate", defaultValue = "4") int rate;
    @Option(names = "--dtype", defaultValue = "f32", description = "f32, bf16 or f16") String dtype;
    @Option(names = "--out", required = true, description = "output file (or folder with --jsonl)") Path out;

    @Override
    public Integer call() throws Exception {
        if (gmsa == null) gmsa = ShippedModels.methodFolder(null, "gmsa");
        try (GmsaSystem system = GmsaFolder.load(gmsa)) {
            if (source.jsonl != null) {
                List<String> docs = AutoencoderCorpusReader.read(source.jsonl);
                Files.createDirectories(out);
                for (int i = 0; i < docs.size(); i++) write(system, docs.get(i), out.resolve(String.format("%06d.gmst", i)));
                System.out.println("documents=" + docs.size());
            } else {
                write(system, source.text != null ? source.text : Files.readString(source.textFile), out);
            }
        }
        return 0;
    }

    private void write(GmsaSystem system, String context, Path file) throws Exception {
        long t0 = System.nanoTime();
        SoftTokenFile soft = system.compress(context, rate, DType.floatingByName(dtype));
        soft.write(file);
        System.out.printf("file=%s context_tokens=%d soft_tokens=%d seconds=%.3f%n", file, soft.contextTokens(),
                soft.allSoftTokens().size(0), (System.nanoTime() - t0) / 1e9);
    }
}
