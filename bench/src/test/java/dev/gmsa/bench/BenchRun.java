package dev.gmsa.bench;

import dev.gmsa.testing.CommandRun;
import picocli.CommandLine;

/** One {@code gmsa bench <subcommand>} run in this JVM (see {@link CommandRun}). */
final class BenchRun {
    private BenchRun() {}

    static CommandRun of(String subcommand, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = subcommand;
        System.arraycopy(args, 0, all, 1, args.length);
        return CommandRun.of(new CommandLine(new BenchMain()), all);
    }
}
