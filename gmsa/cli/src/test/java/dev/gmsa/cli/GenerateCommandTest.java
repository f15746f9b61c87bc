package dev.gmsa.cli;

import dev.gmsa.testing.Fixtures;
import dev.gmsa.testing.CommandRun;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static dev.gmsa.cli.ScoreCommandTest.STORIES;
import static dev.gmsa.cli.ScoreCommandTest.ints;
import static dev.gmsa.cli.ScoreCommandTest.reference;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/gmsa generate --greedy}: the continuation is Hugging Face's greedy one; throughput lines are printed. */
class GenerateCommandTest {
    @Test
    void greedyIdsMatchTheReferenceContinuation() throws IOException {
        for (Path model : new Path[] {STORIES, Fixtures.path("tiny-llama3")}) {
            JsonNode ref = reference(model);
            int[] prompt = ints(ref.get("input_ids")), expected = ints(ref.get("greedy_continuation"));
            CommandRun run = CliRun.of("generate", "--model", model.toString(), "--ids", CliRun.joinIds(prompt), "--greedy",
                    "--max-new-tokens", Integer.toString(expected.length), "--print-ids", "--threads", "1").ok();
            assertEquals(CliRun.joinIds(expected), run.value("ids"), model + "\n" + run.out());
            assertEquals(prompt.length, Integer.parseInt(run.value("prompt_tokens")), run.out());
            assertEquals(expected.length, Integer.parseInt(run.value("new_tokens")), run.out());
            assertTrue(Double.parseDouble(run.value("prefill_tok_s")) > 0, run.out());
            assertTrue(Double.parseDouble(run.value("decode_tok_s")) > 0, run.out());
        }
    }

    @Test
    void promptTextStreamsTheReferenceContinuation() throws IOException {
        JsonNode ref = reference(STORIES);
        assertTrue(ref.has("greedy_continuation_text"), "the stories260K fixture lost its greedy_continuation_text");
        int newTokens = ref.get("greedy_continuation").size();
        CommandRun run = CliRun.of("generate", "--model", STORIES.toString(), "--prompt", ref.get("prompt").textValue(), "--greedy",
                "--max-new-tokens", Integer.toString(newTokens), "--threads", "1").ok();
        String text = ref.get("greedy_continuation_text").textValue();
        assertTrue(run.out().contains(text), "expected the streamed text to contain:\n" + text + "\ngot:\n" + run.out());
        assertEquals(ref.get("input_ids").size(), Integer.parseInt(run.value("prompt_tokens")), "the prompt with BOS\n" + run.out());
    }

    @Test
    void aMissingModelFolderIsOneLine() {
        Path missing = STORIES.resolveSibling("no-such-model");
        CommandRun run = CliRun.of("generate", "--model", missing.toString(), "--ids", "1,2");
        assertEquals(1, run.exit());
        assertEquals("gmsa generate: " + missing + ": not a model folder (expected config.json and *.safetensors)\n", run.err());
    }

    @Test
    void promptAndIdsTogetherAreRefusedByTheParser() {
        CommandRun run = CliRun.of("generate", "--model", STORIES.toString(), "--prompt", "hello", "--ids", "1,2");
        assertEquals(2, run.exit());
        assertEquals("Error: --prompt=TEXT, --ids=ID are mutually exclusive (specify only one)", run.err().lines().findFirst().orElse(""));
    }
}
