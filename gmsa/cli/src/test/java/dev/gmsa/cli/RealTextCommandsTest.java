package dev.gmsa.cli;

import dev.gmsa.testing.Fixtures;
import dev.gmsa.testing.CommandRun;
import dev.gmsa.loaders.TokenizerJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real-text commands at a toy budget: pretrain --corpus (with its BPE and a resume), convert, perplexity, make-data. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealTextCommandsTest {
    @TempDir static Path dir;
    private Path corpus, decoder;
    private CommandRun pretrain;

    private String[] pretrainArgs(int steps) {
        return new String[] {"pretrain", "--corpus", corpus.toString(), "--out", decoder.toString(), "--vocab", "300", "--hidden", "32",
                "--layers", "2", "--heads", "2", "--seq", "32", "--batch", "2", "--steps", Integer.toString(steps), "--checkpoint-every", "2",
                "--max-positions", "256", "--threads", "1"};
    }

    @BeforeAll
    void pretrainATinyDecoder() throws Exception {
        corpus = Files.createDirectories(dir.resolve("corpus"));
        List<String> lines = Files.readAllLines(Fixtures.path("data", "corpus", "tinystories-val.jsonl")).subList(0, 60);
        Files.write(corpus.resolve("stories.jsonl"), lines);
        decoder = dir.resolve("decoder");
        pretrain = CliRun.of(pretrainArgs(3));
        assertEquals(0, pretrain.exit(), pretrain.err());
    }

    @Test
    void pretrainTrainsAndWritesALoadableTokenizer() {
        int train = Integer.parseInt(pretrain.value("train_documents")), heldOut = Integer.parseInt(pretrain.value("held_out_documents"));
        assertEquals(60, train + heldOut);
        assertTrue(heldOut > 0, "some documents are held out");
        var tokenizer = TokenizerJson.load(decoder.resolve("tokenizer.json"));
        assertEquals(300, tokenizer.vocabSize());
        assertTrue(Double.parseDouble(pretrain.value("held_out_perplexity")) > 1);
        assertTrue(Files.exists(decoder.resolve("loss-pretrain.png")));
    }

    @Test
    void aSecondRunResumesWithTheSameTokenizer() throws Exception {
        String tokenizerBefore = Files.readString(decoder.resolve("tokenizer.json"));
        CommandRun more = CliRun.of(pretrainArgs(4));
        assertEquals(0, more.exit(), more.err());
        assertFalse(more.values().containsKey("tokenizer"), "the tokenizer is not trained again: " + more.out());
        assertEquals("4", more.value("steps"));
        assertEquals(tokenizerBefore, Files.readString(decoder.resolve("tokenizer.json")));
    }

    @Test
    void convertToBf16HalvesTheWeightsAndKeepsThePerplexity() {
        Path bf16 = dir.resolve("decoder-bf16");
        CommandRun convert = CliRun.of("convert", "--model", decoder.toString(), "--dtype", "bf16", "--out", bf16.toString()).ok();
        long params = Long.parseLong(convert.value("params")), bytes = Long.parseLong(convert.value("bytes"));
        assertTrue(bytes < params * 2 + 100_000 && bytes >= params * 2, bytes + " bytes for " + params + " params");
        double f32 = Double.parseDouble(CliRun.of("perplexity", "--model", decoder.toString(), "--corpus", corpus.toString(), "--windows", "4",
                "--tokens", "32").ok().value("held_out_loss"));
        double half = Double.parseDouble(CliRun.of("perplexity", "--model", bf16.toString(), "--corpus", corpus.toString(), "--windows", "4",
                "--tokens", "32").ok().value("held_out_loss"));
        assertEquals(f32, half, 0.05);
        assertTrue(CliRun.of("convert", "--model", decoder.toString(), "--out", decoder.toString()).exit() != 0, "converting in place is refused");
    }

    @Test
    void makeDataWritesHeldOutTextsAndQaSets() throws Exception {
        Path data = dir.resolve("data");
        CommandRun make = CliRun.of("make-data", "--corpus", corpus.toString(), "--out", data.toString(), "--qa-count", "5", "--documents", "3,4").ok();
        assertEquals(pretrain.value("held_out_documents"), make.value("heldout_texts"));
        assertEquals(5, Files.readAllLines(data.resolve("qa-3docs.jsonl")).size());
        assertEquals(5, Files.readAllLines(data.resolve("qa-4docs.jsonl")).size());
        assertTrue(Files.readString(data.resolve("qa-4docs.jsonl")).contains("\"question\""));
    }

    @Test
    void initContinuesFromAModelFolderWithItsTokenizer() throws Exception {
        Path continued = dir.resolve("continued");
        // a vanishing learning rate: the continued model must score as its starting point does
        CommandRun run = CliRun.of("pretrain", "--corpus", corpus.toString(), "--init", decoder.toString(), "--out", continued.toString(),
                "--seq", "32", "--batch", "2", "--steps", "1", "--lr", "1e-12", "--shares", "0.2,0.3,0.2,0.3", "--qa-drill",
                "--qa-documents", "2,3", "--threads", "1");
        assertEquals(0, run.exit(), run.err());
        assertEquals(Files.readString(decoder.resolve("tokenizer.json")), Files.readString(continued.resolve("tokenizer.json")));
        String[] score = {"--corpus", corpus.toString(), "--windows", "4", "--tokens", "32"};
        CommandRun before = CliRun.of(concat(new String[] {"perplexity", "--model", decoder.toString()}, score)).ok();
        CommandRun after = CliRun.of(concat(new String[] {"perplexity", "--model", continued.toString()}, score)).ok();
        assertEquals(Double.parseDouble(before.value("held_out_loss")), Double.parseDouble(after.value("held_out_loss")), 1e-3);
        double accuracy = Double.parseDouble(after.value("copy_token_accuracy"));
        assertTrue(accuracy >= 0 && accuracy <= 1 && Double.parseDouble(after.value("copy_loss")) > 0, after.out());
        assertTrue(CliRun.of("pretrain", "--corpus", corpus.toString(), "--init", decoder.toString(), "--out", dir.resolve("bad").toString(),
                "--shares", "1,1,1,1,1", "--steps", "1").exit() != 0, "five shares are refused");
    }

    @Test
    void initCanTieTheEmbeddings() throws Exception {
        Path tied = dir.resolve("tied");
        CommandRun run = CliRun.of("pretrain", "--corpus", corpus.toString(), "--init", decoder.toString(), "--out", tied.toString(),
                "--tie-embeddings", "--seq", "32", "--batch", "2", "--steps", "1", "--threads", "1");
        assertEquals(0, run.exit(), run.err());
        assertTrue(Files.readString(tied.resolve("config.json")).contains("\"tie_word_embeddings\" : true")
                || Files.readString(tied.resolve("config.json")).contains("\"tie_word_embeddings\":true"), Files.readString(tied.resolve("config.json")));
        long untied = Long.parseLong(pretrain.value("params")), tiedParams = Long.parseLong(run.value("params"));
        assertEquals(untied - 300L * 32, tiedParams, "the output matrix (vocab x hidden) is gone");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
