package dev.gmsa.bench;

import dev.gmsa.testing.CommandRun;
import dev.gmsa.testing.Fixtures;
import dev.gmsa.loaders.TokenizerJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gmsa bench tokenize}: the text is the requested size and the token count is the tokenizer's own. */
class TokenizeBenchCommandTest {
    private static final Path QWEN3 = Fixtures.path("tokenizers", "qwen3", "tokenizer.json");

    private static CommandRun run(String... args) {
        return BenchRun.of("tokenize", args);
    }

    private static long value(String out, String key) {
        Matcher m = Pattern.compile("\\b" + key + "=(\\d+)").matcher(out);
        assertTrue(m.find(), key + "= in " + out);
        return Long.parseLong(m.group(1));
    }

    @Test
    void aRepeatedFileIsCutToTheRequestedBytesAndCountedByTheTokenizer(@TempDir Path dir) throws Exception {
        // 3-byte characters: the cut must land on a character boundary, so bytes may exceed the request by at most 2
        String unit = "Hello 世界 ";
        Files.writeString(dir.resolve("t.txt"), unit, StandardCharsets.UTF_8);
        CommandRun r = run("--tokenizer", QWEN3.toString(), "--text-file", dir.resolve("t.txt").toString(),
                "--megabytes", "0.001", "--runs", "1", "--warmup", "0");
        assertEquals(0, r.exit(), r.out());
        long bytes = value(r.out(), "bytes");
        assertTrue(bytes >= 1000 && bytes <= 1002, r.out());
        int unitBytes = unit.getBytes(StandardCharsets.UTF_8).length, repeats = (int) (bytes / unitBytes);
        String expectedText = unit.repeat(repeats) + new String(unit.getBytes(StandardCharsets.UTF_8), 0, (int) (bytes - (long) repeats * unitBytes), StandardCharsets.UTF_8);
        assertEquals(TokenizerJson.load(QWEN3).encode(expectedText).length, value(r.out(), "tokens"), r.out());
        assertTrue(r.out().contains("encode_s=") && r.out().contains("mb_per_s="), r.out());
    }

    @Test
    void anEmptyTextFileIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("empty.txt"), "");
        assertNotEquals(0, run("--tokenizer", QWEN3.toString(), "--text-file", dir.resolve("empty.txt").toString()).exit());
    }
}
