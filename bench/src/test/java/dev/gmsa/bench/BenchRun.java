package dev.gmsa.bench;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One {@code gmsa bench <subcommand>} run in this JVM: its exit code, what it printed to System.out and picocli's errors. */
record BenchRun(int exit, String out, String err) {
    static BenchRun of(String subcommand, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        System.setOut(new PrintStream(out));
        try {
            CommandLine cli = new CommandLine(new BenchMain());
            cli.setErr(new PrintWriter(err));
            String[] all = new String[args.length + 1];
            all[0] = subcommand;
            System.arraycopy(args, 0, all, 1, args.length);
            return new BenchRun(cli.execute(all), out.toString(), err.toString());
        } finally {
            System.setOut(saved);
        }
    }
}
