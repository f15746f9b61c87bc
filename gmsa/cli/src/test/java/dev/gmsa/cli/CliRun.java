package dev.gmsa.cli;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code bin/gmsa ARGS} in-process as {@link Main#main} does (same error handler), capturing stdout and stderr. */
record CliRun(int exit, String out, String err) {
    static CliRun of(String... args) {
        PrintStream savedOut = System.out, savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true)
                    .setExecutionExceptionHandler(Main::reportError);
            cli.setOut(new PrintWriter(System.out, true));
            cli.setErr(new PrintWriter(System.err, true));
            int exit = cli.execute(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
    }

    /** The key=value lines of stdout (a later key wins). */
    Map<String, String> values() {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : out.split("\n", -1))
            if (line.matches("[a-z0-9_]+=.*")) kv.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        return kv;
    }

    String value(String key) {
        String v = values().get(key);
        assertTrue(v != null, key + "= missing in:\n" + out + "\nstderr:\n" + err);
        return v;
    }

    /** Succeeded, with nothing on stderr. */
    CliRun ok() {
        assertTrue(exit == 0 && err.isEmpty(), "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err);
        return this;
    }

    static String joinIds(int[] ids) {
        return java.util.Arrays.stream(ids).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(","));
    }
}
