package dev.gmsa.cli;

import dev.gmsa.testing.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/gmsa demo} end to end at a toy budget: every row of its table and every key=value line it promises. */
class DemoCommandTest {
    @TempDir Path dir;

    @Test
    void printsEveryRowAndKey() throws Exception {
        CommandRun run = CommandRun.of(new CommandLine(new Main()), "demo", "--out", dir.toString(), "--hidden", "32", "--layers", "1",
                "--pretrain-steps", "4", "--ae-steps", "3", "--keft-steps", "2", "--context-tokens", "8", "--eval-count", "2",
                "--threads", "1");
        String out = run.out();
        assertEquals(0, run.exit(), out + run.err());
        Map<String, String> kv = run.values();
        for (String key : new String[] {"gmsa_bleu", "gmsa_prefix_em", "gmsa_info_nats", "gmsa_qa_em", "gmsa_qa_f1", "tcp_ae_bleu",
                "tcp_ae_qa_em", "gmsa_no_keft_qa_em", "gmsa_no_ae_qa_em", "gmsa_no_ae_qa_f1", "original_qa_em", "total_seconds"}) {
            assertTrue(kv.containsKey(key), key + " missing in:\n" + out);
            double v = Double.parseDouble(kv.get(key));
            if (!key.equals("total_seconds") && !key.endsWith("info_nats")) assertTrue(v >= 0 && v <= 1, key + "=" + v);
        }
        for (String row : new String[] {"gmsa ", "gmsa-no-keft ", "tcp-ae ", "gmsa-no-ae ", "original "})
            assertTrue(out.lines().anyMatch(l -> l.startsWith(row)), "table row " + row + " missing in:\n" + out);
        assertTrue(Files.size(dir.resolve("loss-ae-gmsa.png")) > 0);
        assertTrue(Files.exists(dir.resolve("gmsa")), "the trained GMSA folder");
    }
}
