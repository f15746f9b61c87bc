package dev.gmsa.bench;

import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.gmsa.testing.CommandRun;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AeSweepCommandTest {
    @TempDir Path dir;

    /** bench ARGS with the CLI's error handler. */
    private static CommandRun run(String... args) {
        return CommandRun.of(new CommandLine(new BenchMain()).setExecutionExceptionHandler(dev.gmsa.cli.Main::reportError), args);
    }

    private Path tinyDecoder() {
        Path decoder = dir.resolve("decoder");
        PretrainedModel.save(decoder, Transformer.randomInit(EmbeddedDefault.config(32, 1), 3), EmbeddedDefault.tokenizer());
        return decoder;
    }

    /** A few steps of two methods on a tiny embedded decoder: every (method, rate, shift) row, a plot, a table. */
    @Test
    void sweepScoresEveryVariantAndWritesTableAndPlot() throws Exception {
        Path decoder = tinyDecoder(), out = dir.resolve("sweep");
        CommandRun run = run("ae-sweep", "--decoder", decoder.toString(), "--methods", "gmsa,tcp-ae",
                "--context-tokens", "12", "--rates", "4,8", "--steps", "3", "--batch", "2", "--heldout", "3", "--shift", "--out", out.toString());
        String text = run.out();
        assertEquals(0, run.exit(), text + run.err());
        for (String method : new String[] {"gmsa", "tcp-ae"})
            for (String rate : new String[] {"r4", "r8"}) {
                assertTrue(text.contains(method + "_ctx12_" + rate + "_seed1_bleu="), text);
                assertTrue(text.contains(method + "_ctx12_" + rate + "_shift1_seed1_info_nats="), text);
            }
        assertTrue(Files.size(out.resolve("convergence-ctx12.png")) > 0);
        // 3 steps, smoothing window 1: every step of both methods, in the CSV that plot-curves reads
        List<CurveFile.Point> curve = CurveFile.read(out.resolve("convergence-ctx12.csv"));
        assertEquals(List.of("gmsa", "gmsa", "gmsa", "tcp-ae", "tcp-ae", "tcp-ae"), curve.stream().map(CurveFile.Point::run).toList());
        assertEquals(List.of(1, 2, 3, 1, 2, 3), curve.stream().map(CurveFile.Point::step).toList());
        assertEquals(8, Files.readAllLines(out.resolve("results.md")).stream().filter(l -> l.startsWith("| gmsa") || l.startsWith("| tcp-ae")).count());
    }

    /** Every other argument valid (a real decoder, an output folder): the method name alone stops it, before any training. */
    @Test
    void unknownMethodFailsBeforeTraining() {
        Path out = dir.resolve("sweep");
        CommandRun run = run("ae-sweep", "--decoder", tinyDecoder().toString(), "--methods", "gmsa,nope", "--out", out.toString());
        assertEquals(1, run.exit(), "an execution error, not a parse error: " + run.err());
        assertTrue(run.err().contains("unknown method nope"), run.err());
        assertTrue(Files.notExists(out), "nothing trained or written");
    }
}
