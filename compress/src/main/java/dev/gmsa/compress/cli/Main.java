package dev.gmsa.compress.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./gmsa}: one subcommand per job. Figures are printed as key=value lines. */
@Command(name = "gmsa", mixinStandardHelpOptions = true, version = "gmsa 0.1.0",
        description = "Pure-Java deep learning and GMSA context compression.",
        subcommands = {CommandLine.HelpCommand.class, DemoCommand.class, GenerateCommand.class, ScoreCommand.class, DevicesCommand.class, TokenizeCommand.class, InspectCommand.class})
public final class Main {
    public static void main(String[] args) {
        int code = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
