package dev.gmsa.bench;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gmsa bench latency} end to end on the smallest shape, and its option errors. */
class LatencyCommandTest {
    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cli = new CommandLine(new BenchMain());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "latency";
        System.arraycopy(args, 0, all, 1, args.length);
        int exit = cli.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    private static Map<String, String> keyValues(String out) {
        Map<String, String> kv = new HashMap<>();
        for (String line : out.split("\n"))
            if (line.matches("[a-z_]+=.*")) kv.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
        return kv;
    }

    @Test
    void printsTheTableAndEveryKey() {
        Run r = run("--shape", "stories260k", "--context-tokens", "50", "--rate", "8", "--question-tokens", "6",
                "--answer-tokens", "3", "--repeats", "1", "--threads", "1");
        assertEquals(0, r.exit(), r.err());
        Map<String, String> kv = keyValues(r.out());
        assertEquals("7", kv.get("soft_tokens"), "ceil(50 / 8)");
        assertEquals("13", kv.get("gmsa_prefill_tokens"), "soft tokens + question");
        assertEquals("56", kv.get("original_prefill_tokens"));
        assertEquals("3", kv.get("answer_tokens"));
        assertEquals("2", kv.get("encoder_layers"), "ceil(5 / 4)");
        for (String key : new String[] {"original_prefill_s", "original_decode_s", "original_total_s", "gmsa_compress_s",
                "gmsa_prefill_s", "gmsa_decode_s", "gmsa_total_s", "speedup"})
            assertTrue(Double.parseDouble(kv.get(key)) > 0, key + "=" + kv.get(key));
        // the totals are printed to 6 decimals, so the ratio of the printed figures is only known to within their
        // rounding; speedup itself is printed to 2 decimals
        double original = Double.parseDouble(kv.get("original_total_s")), gmsa = Double.parseDouble(kv.get("gmsa_total_s"));
        double low = (original - 5e-7) / (gmsa + 5e-7) - 5e-3, high = (original + 5e-7) / Math.max(1e-12, gmsa - 5e-7) + 5e-3;
        double speedup = Double.parseDouble(kv.get("speedup"));
        assertTrue(speedup >= low && speedup <= high, "speedup " + speedup + " outside [" + low + ", " + high + "]");
        assertTrue(r.out().contains("| original prompt | 56 | - |"), r.out());
        assertTrue(r.out().contains("| GMSA 8x (7 soft + 6 question) | 13 |"), r.out());
    }

    @Test
    void badOptionsGetAUsageError() {
        assertUsageError(run("--rate", "0"), "--rate must be >= 1, got 0");
        assertUsageError(run("--shape", "smollm-135m", "--encoder-layers", "31"), "--encoder-layers 31 exceeds the 30 layers of the smollm-135m decoder");
        assertUsageError(run("--context-tokens", "9000"), "the original prompt needs 9048 positions");
        assertUsageError(run("--shape", "nope"), "unknown shape nope");
        assertUsageError(run("--repeats", "0"), "--repeats must be >= 1, got 0");
    }

    private static void assertUsageError(Run r, String message) {
        assertEquals(CommandLine.ExitCode.USAGE, r.exit(), r.err());
        assertTrue(r.err().startsWith(message), r.err());
    }
}
