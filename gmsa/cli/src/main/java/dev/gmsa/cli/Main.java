package dev.gmsa.cli;

import dev.gmsa.cli.gmsa.*;
import dev.gmsa.cli.lm.*;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/gmsa}: one subcommand per job. Figures are printed as key=value lines. */
@Command(name = "gmsa", mixinStandardHelpOptions = true, version = "gmsa 0.1.0",
        description = "Pure-Java deep learning and GMSA context compression.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, PretrainCommand.class, MakeDataCommand.class, ConvertCommand.class, PerplexityCommand.class, TrainAeCommand.class, CompressCommand.class, ReconstructCommand.class, AskCommand.class, EvalCommand.class, TrainKeftCommand.class, AttentionCommand.class, GenerateCommand.class, ScoreCommand.class, DevicesCommand.class, TokenizeCommand.class, InspectCommand.class})
public final class Main {
    /** Bad input is reported in one line naming what is wrong; GMSA_DEBUG=1 shows the stack trace too. */
    public static int reportError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean userError = e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof dev.gmsa.loaders.LoadException
                || e instanceof java.io.IOException || e instanceof java.io.UncheckedIOException;
        if (!userError || System.getenv("GMSA_DEBUG") != null) e.printStackTrace();
        String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        if (e instanceof java.nio.file.NoSuchFileException) message = "no such file: " + message;
        System.err.println("gmsa " + cmd.getCommandName() + ": " + message);
        return 1;
    }

    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(Main::reportError).execute(args);
        System.exit(code);
    }
}
