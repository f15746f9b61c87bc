package dev.gmsa.cli;

import dev.gmsa.testing.Fixtures;
import dev.gmsa.testing.CommandRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.gmsa.cli.ScoreCommandTest.ints;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code bin/gmsa tokenize}: Hugging Face's ids (no special tokens) and the decoded text escaped onto one line. */
class TokenizeCommandTest {
    private static final String MULTI_LINE = "Line one\nLine two\r\nLine three\n";

    private static Path tokenizer(String name) {
        return Fixtures.path("tokenizers", name, "tokenizer.json");
    }

    /** A few reference texts per tokenizer (each run loads the tokenizer): plain, tabs, and the multi-line one (texts starting so). */
    @ParameterizedTest
    @ValueSource(strings = {"llama3", "qwen3", "stories260K"})
    void printsTheReferenceIdsAndOneLineDecodedText(String name) throws IOException {
        JsonNode refs = new ObjectMapper().readTree(tokenizer(name).resolveSibling("reference_ids.json").toFile());
        List<String> wanted = List.of("Hello, world!", "  two  spaces   and tabs\t\tend", MULTI_LINE);
        int checked = 0;
        for (JsonNode ref : refs) {
            String text = ref.get("text").textValue();
            if (wanted.stream().noneMatch(text::startsWith)) continue;
            CommandRun run = CliRun.of("tokenize", "--tokenizer", tokenizer(name).toString(), "--text", text).ok();
            assertEquals(2, run.out().lines().count(), "two key=value lines:\n" + run.out());
            assertEquals(CliRun.joinIds(ints(ref.get("ids"))), run.value("ids"), name + " ids of " + text);
            assertEquals(escaped(ref.get("decoded").textValue()), run.value("decoded"), name + " decoded of " + text);
            checked++;
        }
        assertEquals(wanted.size(), checked, "reference texts found in " + name);
    }

    @Test
    void decodedEscapesBackslashNewlineReturnAndTab(@TempDir Path dir) throws IOException {
        String text = "a\\b\nc\td\r\ne";
        Path file = dir.resolve("text.txt");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        for (String[] input : new String[][] {{"--text", text}, {"--text-file", file.toString()}}) {
            CommandRun run = CliRun.of("tokenize", "--tokenizer", tokenizer("llama3").toString(), input[0], input[1]).ok();
            List<String> lines = run.out().lines().toList();
            assertEquals(2, lines.size(), run.out());
            assertEquals("decoded=a\\\\b\\nc\\td\\r\\ne", lines.get(1));
        }
    }

    @Test
    void aMissingTokenizerFileIsOneLine() {
        Path missing = tokenizer("llama3").resolveSibling("missing.json");
        CommandRun run = CliRun.of("tokenize", "--tokenizer", missing.toString(), "--text", "hi");
        assertEquals(1, run.exit());
        assertEquals("gmsa tokenize: " + missing + ": file not found\n", run.err());
        assertEquals("", run.out());
    }

    /** The escaping written out independently of the command's code. */
    private static String escaped(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
    }
}
