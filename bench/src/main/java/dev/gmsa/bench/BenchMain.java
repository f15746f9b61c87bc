package dev.gmsa.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/gmsa bench <kernel>}: timed kernel runs that print their figures as key=value lines. */
@Command(name = "gmsa bench", mixinStandardHelpOptions = true,
        description = "Kernel benchmarks (median of timed runs after warm-up).",
        subcommands = {CommandLine.HelpCommand.class, SgemmCommand.class, GemvBf16Command.class, ModelBenchCommand.class,
                LatencyCommand.class, AeSweepCommand.class, PlotCurvesCommand.class,
                TokenizeBenchCommand.class})
public final class BenchMain {
    public static void main(String[] args) {
        // bad input (a missing file, an unavailable --device) is one line naming what is wrong, as in bin/gmsa
        System.exit(new CommandLine(new BenchMain()).setExecutionExceptionHandler(dev.gmsa.cli.Main::reportError).execute(args));
    }
}
