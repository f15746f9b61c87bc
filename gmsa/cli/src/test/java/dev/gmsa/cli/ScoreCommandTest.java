package dev.gmsa.cli;

import dev.gmsa.testing.Fixtures;
import dev.gmsa.testing.CommandRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/gmsa score}: token count and loss match Hugging Face's reference; --text adds the BOS HF adds. */
class ScoreCommandTest {
    static final Path STORIES = Fixtures.path("stories260K-hf");

    static JsonNode reference(Path model) throws IOException {
        return new ObjectMapper().readTree(model.resolve("reference_outputs.json").toFile());
    }

    static int[] ints(JsonNode array) {
        return IntStream.range(0, array.size()).map(i -> array.get(i).intValue()).toArray();
    }

    @Test
    void textIsEncodedWithBosLikeHuggingFace() throws IOException {
        JsonNode ref = reference(STORIES);
        CommandRun run = CliRun.of("score", "--model", STORIES.toString(), "--text", ref.get("prompt").textValue()).ok();
        assertEquals(ref.get("input_ids").size(), Integer.parseInt(run.value("tokens")), run.out());
        assertEquals(ref.get("loss").doubleValue(), Double.parseDouble(run.value("loss")), 1e-4, run.out());
        assertEquals(Math.exp(Double.parseDouble(run.value("loss"))), Double.parseDouble(run.value("ppl")), 1e-3, run.out());
    }

    @Test
    void idsAreScoredAsGiven() throws IOException {
        for (Path model : new Path[] {STORIES, Fixtures.path("tiny-llama3")}) {
            JsonNode ref = reference(model);
            CommandRun run = CliRun.of("score", "--model", model.toString(), "--ids", CliRun.joinIds(ints(ref.get("input_ids")))).ok();
            assertEquals(ref.get("input_ids").size(), Integer.parseInt(run.value("tokens")), model + "\n" + run.out());
            assertEquals(ref.get("loss").doubleValue(), Double.parseDouble(run.value("loss")), 1e-4, model + "\n" + run.out());
        }
    }

    @Test
    void aMissingModelFolderIsOneLine() {
        Path missing = STORIES.resolveSibling("no-such-model");
        CommandRun run = CliRun.of("score", "--model", missing.toString(), "--text", "hello");
        assertEquals(1, run.exit());
        assertEquals("gmsa score: " + missing + ": not a model folder (expected config.json and *.safetensors)\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void textWithoutATokenizerAndTooFewTokensAreOneLine() {
        Path noTokenizer = Fixtures.path("tiny-llama3");
        CommandRun text = CliRun.of("score", "--model", noTokenizer.toString(), "--text", "hello");
        assertEquals(1, text.exit());
        assertEquals("gmsa score: " + noTokenizer.resolve("tokenizer.json") + ": no tokenizer: this command needs one (or pass --ids)\n", text.err());
        CommandRun one = CliRun.of("score", "--model", STORIES.toString(), "--ids", "1");
        assertEquals(1, one.exit());
        assertEquals("gmsa score: score needs at least 2 tokens, got 1\n", one.err());
    }

    @Test
    void textAndIdsTogetherAreRefusedByTheParser() {
        CommandRun run = CliRun.of("score", "--model", STORIES.toString(), "--text", "hello", "--ids", "1,2");
        assertEquals(2, run.exit(), "picocli's exit code for a usage error");
        // picocli reports the error on the first line, then prints the usage
        assertEquals("Error: --text=TEXT, --ids=ID are mutually exclusive (specify only one)", run.err().lines().findFirst().orElse(""));
        assertTrue(run.err().contains("Usage: gmsa score"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void withoutModelTheShippedDecoderScores() {
        String text = "The sea was calm that morning, and the gulls cried above the masts.";
        CommandRun shipped = CliRun.of("score", "--model", dev.gmsa.compress.pipeline.ShippedModels.decoder().toString(), "--text", text).ok();
        CommandRun byDefault = CliRun.of("score", "--text", text).ok();
        assertEquals(shipped.value("loss"), byDefault.value("loss"));
        assertTrue(Double.parseDouble(byDefault.value("ppl")) < 1000, "a real decoder reads English: " + byDefault.out());
    }
}
