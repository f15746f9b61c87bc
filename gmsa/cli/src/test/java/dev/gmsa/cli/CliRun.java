package dev.gmsa.cli;

import dev.gmsa.testing.CommandRun;
import picocli.CommandLine;

/** Runs {@code bin/gmsa ARGS} in-process as {@link Main#main} does (same error handler and enum parsing). */
final class CliRun {
    private CliRun() {}

    static CommandRun of(String... args) {
        CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).setExecutionExceptionHandler(Main::reportError);
        return CommandRun.of(cli, args);
    }

    static String joinIds(int[] ids) {
        return java.util.Arrays.stream(ids).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
    }
}
