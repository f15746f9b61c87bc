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

/** Restates the text a soft-token file holds. */
@Command(name = "reconstruct", description = "Decode the original text back from a soft-token file. Prints text=, decode_tok_s=.")
public final class ReconstructCommand implements Callable<Integer> {
    @Option(names = "--gmsa", description = "a GMSA folder (default: the shipped GMSA)") Path gmsa;
    @Option(names = "--soft", required = true, description = "a .gmst file from compress") Path soft;
    @Option(names = "--max-new-tokens", defaultValue = "600") int maxNewTokens;

    @Override
    public Integer call() throws Exception {
        if (gmsa == null) gmsa = ShippedModels.methodFolder(null, "gmsa");
        try (GmsaSystem system = GmsaFolder.load(gmsa)) {
            Generator.Result r = system.reconstruct(system.softTokens(SoftTokenFile.read(soft), soft), maxNewTokens);
            System.out.println("text=" + r.text());
            System.out.printf("new_tokens=%d%nstop_reason=%s%ndecode_tok_s=%.1f%n", r.ids().length, r.stopReason(), r.decodeTokensPerSecond());
        }
        return 0;
    }
}
