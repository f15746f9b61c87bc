package dev.gmsa.testing;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run of a picocli command in this JVM, as its launcher would run it: exit code, everything printed to stdout
 * and stderr, both through System.out/err (the commands' own key=value lines) and through picocli's writers (usage,
 * errors), which are pointed at the same captured streams.
 */
public record CommandRun(int exit, String out, String err) {
    /** Runs {@code cli} with {@code args}; System.out and System.err are restored afterwards. */
    public static CommandRun of(CommandLine cli, String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int exit = cli.execute(args);
            return new CommandRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** The key=value lines of stdout (a later key wins). */
    public Map<String, String> values() {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : out.split("\n", -1))
            if (line.matches("[a-z0-9_]+=.*")) kv.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        return kv;
    }

    /** The value of a key=value line, failing with the whole output when it is missing. */
    public String value(String key) {
        String v = values().get(key);
        assertTrue(v != null, key + "= missing in:\n" + out + "\nstderr:\n" + err);
        return v;
    }

    public double number(String key) {
        return Double.parseDouble(value(key));
    }

    /** Succeeded, with nothing on stderr. */
    public CommandRun ok() {
        assertTrue(exit == 0 && err.isEmpty(), "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return this;
    }
}
