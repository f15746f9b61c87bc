package dev.gmsa.cli.gmsa;

import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.pipeline.ShippedModels;
import dev.gmsa.compress.format.SoftTokenFile;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.transformer.generate.Generator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Answers a question about a compressed context. */
@Command(name = "ask", description = "Answer a question from a soft-token file. Prints answer=, prefill_tok_s=, decode_tok_s=.")
public final class AskCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "a GMSA folder (default: the shipped GMSA)") Path gmsa;
    @Option(names = "--soft", required = true) Path soft;
    @Option(names = "--question", required = true) String question;
    @Option(names = "--max-new-tokens", defaultValue = "64") int maxNewTokens;

    @Override
    public Integer call() throws Exception {
        if (gmsa == null) gmsa = ShippedModels.methodFolder(null, "gmsa");
        try (GmsaSystem system = GmsaFolder.load(gmsa)) {
            Generator.Result r = system.ask(system.softTokens(SoftTokenFile.read(soft), soft), question, maxNewTokens);
            System.out.println("answer=" + r.text().strip()); // KEFT answers start with a space after " Answer:"
            System.out.printf("prefill_tok_s=%.1f%ndecode_tok_s=%.1f%n", r.prefillTokensPerSecond(), r.decodeTokensPerSecond());
        }
        return 0;
    }
}
