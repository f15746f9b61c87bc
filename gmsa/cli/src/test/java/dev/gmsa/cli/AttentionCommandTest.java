package dev.gmsa.cli;

import dev.gmsa.testing.CommandRun;
import dev.gmsa.compress.pipeline.GmsaFolder;
import dev.gmsa.compress.attention.EncoderAttention;
import dev.gmsa.compress.pipeline.EmbeddedDefault;
import dev.gmsa.compress.pipeline.GmsaSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/gmsa attention} on toy GMSA and TCP-AE folders: one PNG that decodes, key=value figures that are shares
 * (in [0, 1], each soft token's shares summing to 1), maps whose rows are causal distributions, one-line errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttentionCommandTest {
    private static final int WINDOW = 16, RATE = 4, ENCODER_LAYERS = 2;
    private static final String TEXT = "Mia found a red kite at the park. Tom gave Ben a box.";
    private Path dir, gmsa, tcpAe;
    private int contextTokens;

    @BeforeAll
    void trainToyFolders(@TempDir Path tmp) {
        dir = tmp;
        Path decoder = dir.resolve("decoder");
        trained(CliRun.of("pretrain", "--out", decoder.toString(), "--hidden", "32", "--layers", "2", "--steps", "2", "--seq", "24",
                "--batch", "2", "--threads", "1"));
        gmsa = trainAe(decoder, "gmsa");
        tcpAe = trainAe(decoder, "tcp-ae");
        contextTokens = EmbeddedDefault.tokenizer().encode(TEXT).length;
        assertTrue(contextTokens > 2 * RATE && contextTokens <= WINDOW, contextTokens + " tokens: several groups, one window");
    }

    private Path trainAe(Path decoder, String method) {
        Path out = dir.resolve(method);
        trained(CliRun.of("train-ae", "--decoder", decoder.toString(), "--method", method, "--encoder-layers", Integer.toString(ENCODER_LAYERS),
                "--lsa-layers", "1", "--rates", Integer.toString(RATE), "--context-tokens", Integer.toString(WINDOW),
                "--window", Integer.toString(WINDOW), "--steps", "2", "--batch", "2", "--threads", "1", "--out", out.toString()));
        return out;
    }

    /** Training commands draw a progress bar on stderr; success means exit 0 and no error line there. */
    private static void trained(CommandRun run) {
        boolean errorLine = run.err().lines().anyMatch(l -> l.matches("gmsa [a-z-]+: .*") || l.contains("Exception"));
        assertTrue(run.exit() == 0 && !errorLine, "exit " + run.exit() + "\n" + run.out() + "\n" + run.err());
    }

    private CommandRun attention(Path folder, String method, Path png) {
        return CliRun.of("attention", "--gmsa", folder.toString(), "--text", TEXT, "--method", method, "--rate", Integer.toString(RATE),
                "--out", png.toString()).ok();
    }

    /** The fields of every "layer=..." line, in order. */
    private static List<Map<String, String>> layerLines(CommandRun run) {
        List<Map<String, String>> lines = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            if (!line.startsWith("layer=")) continue;
            Map<String, String> fields = new LinkedHashMap<>();
            for (String field : line.strip().split(" ")) fields.put(field.substring(0, field.indexOf('=')), field.substring(field.indexOf('=') + 1));
            lines.add(fields);
        }
        return lines;
    }

    private static double share(Map<String, String> line, String key) {
        double v = Double.parseDouble(line.get(key));
        assertTrue(v >= 0 && v <= 1, key + "=" + v + " in " + line);
        return v;
    }

    private static void assertFigure(Path png) throws IOException {
        assertTrue(Files.exists(png), png + " written");
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a PNG ImageIO decodes");
        assertTrue(image.getWidth() >= 600 && image.getHeight() >= 600, image.getWidth() + "x" + image.getHeight());
        try (var left = Files.list(png.getParent())) {
            assertTrue(left.noneMatch(p -> p.toString().endsWith(".tmp")), "no temp file left behind");
        }
    }

    @Test
    void gmsaReportsEachSoftTokensMassInsideItsGroup() throws IOException {
        Path png = dir.resolve("gmsa-attention.png");
        CommandRun run = attention(gmsa, "gmsa", png);
        int softTokens = (contextTokens + RATE - 1) / RATE;
        assertEquals("gmsa", run.value("method"));
        assertEquals(Integer.toString(contextTokens), run.value("context_tokens"));
        assertEquals(Integer.toString(softTokens), run.value("soft_tokens"));
        assertEquals(Integer.toString(ENCODER_LAYERS), run.value("encoder_layers"));
        assertEquals(png.toString(), run.value("out"));
        int layerSummaries = 0, softTokenLines = 0;
        for (Map<String, String> line : layerLines(run)) {
            if (line.containsKey("soft_token")) {
                softTokenLines++;
                double sum = share(line, "in_group_mass") + share(line, "first_mass") + share(line, "other_mass");
                assertEquals(1.0, sum, 1e-3, line.toString());
            } else {
                layerSummaries++;
                for (String key : List.of("top2_mass", "top2_uniform", "first_mass", "first_uniform", "in_group_mass", "in_group_uniform")) share(line, key);
            }
        }
        assertEquals(ENCODER_LAYERS, layerSummaries, run.out());
        assertEquals(ENCODER_LAYERS * softTokens, softTokenLines, run.out());
        assertFigure(png);
    }

    @Test
    void tcpAeReportsWhereEachMemoryTokensAttentionLands() throws IOException {
        Path png = dir.resolve("tcp-ae-attention.png");
        CommandRun run = attention(tcpAe, "tcp-ae", png);
        int memoryTokens = (contextTokens + RATE - 1) / RATE;
        assertEquals("tcp-ae", run.value("method"));
        assertEquals(Integer.toString(memoryTokens), run.value("memory_tokens"));
        int layerSummaries = 0, memoryLines = 0;
        for (Map<String, String> line : layerLines(run)) {
            if (line.containsKey("memory_token")) {
                memoryLines++;
                String[] groups = line.get("group_mass").split(",");
                assertEquals(memoryTokens, groups.length, "one share per context group: " + line);
                double sum = share(line, "memory_mass"), top = 0;
                for (String g : groups) {
                    double v = Double.parseDouble(g);
                    assertTrue(v >= 0 && v <= 1, line.toString());
                    sum += v;
                    top = Math.max(top, v);
                }
                assertEquals(1.0, sum, 1e-3, line.toString());
                assertEquals(top, share(line, "top_group_mass"), 1e-4, line.toString());
            } else {
                layerSummaries++;
                for (String key : List.of("top2_mass", "top2_uniform", "first_mass", "first_uniform", "memory_top2_mass", "memory_top2_uniform",
                        "memory_first_mass")) share(line, key);
            }
        }
        assertEquals(ENCODER_LAYERS, layerSummaries, run.out());
        assertEquals(ENCODER_LAYERS * memoryTokens, memoryLines, run.out());
        assertFigure(png);
    }

    @Test
    void mapRowsAreCausalDistributionsOverTheSequenceTheEncoderSees() {
        for (Path folder : List.of(gmsa, tcpAe)) {
            try (GmsaSystem system = GmsaFolder.load(folder)) {
                EncoderAttention attention = EncoderAttention.of(system, TEXT, RATE);
                int positions = folder == tcpAe ? contextTokens + (contextTokens + RATE - 1) / RATE : contextTokens;
                assertEquals(positions, attention.positions(), folder + ": context tokens, then memory tokens");
                assertEquals(ENCODER_LAYERS, attention.maps().size());
                for (double[][] map : attention.maps()) {
                    assertEquals(positions, map.length);
                    for (int i = 0; i < positions; i++) {
                        double sum = 0;
                        for (int j = 0; j < positions; j++) {
                            if (j > i) assertEquals(0.0, map[i][j], "query " + i + " sees future key " + j);
                            sum += map[i][j];
                        }
                        assertEquals(1.0, sum, 1e-5, folder + " row " + i);
                    }
                }
            }
        }
    }

    @Test
    void badInputIsOneLineNamingTheProblem() {
        Path png = dir.resolve("never.png");
        assertOneLineError(CliRun.of("attention", "--gmsa", gmsa.toString(), "--text", "  ", "--out", png.toString()),
                "gmsa attention: the text is empty");
        assertOneLineError(CliRun.of("attention", "--gmsa", gmsa.toString(), "--text", TEXT, "--method", "lstm", "--out", png.toString()),
                "gmsa attention: unknown method lstm");
        assertOneLineError(CliRun.of("attention", "--gmsa", gmsa.toString(), "--text", TEXT, "--method", "tcp-ae", "--out", png.toString()),
                "gmsa attention: " + gmsa + " was trained with method gmsa, not tcp-ae");
        String longText = (TEXT + " ").repeat(3);
        assertOneLineError(CliRun.of("attention", "--gmsa", tcpAe.toString(), "--text", longText, "--out", png.toString()),
                "gmsa attention: the text is " + EmbeddedDefault.tokenizer().encode(longText).length + " encoder tokens, longer than the encoder's window of " + WINDOW);
        assertOneLineError(CliRun.of("attention", "--gmsa", tcpAe.toString(), "--text", TEXT, "--rate", "1", "--out", png.toString()),
                "gmsa attention: rate 1 needs " + contextTokens + " memory tokens for " + contextTokens + " tokens, the folder trained " + WINDOW / RATE);
        assertTrue(!Files.exists(png), "no figure for bad input");
    }

    private static void assertOneLineError(CommandRun run, String start) {
        assertEquals(1, run.exit(), run.out() + run.err());
        String err = run.err().strip();
        assertEquals(1, err.lines().count(), "one line:\n" + err);
        assertTrue(err.startsWith(start), "expected '" + start + "...', got: " + err);
    }
}
