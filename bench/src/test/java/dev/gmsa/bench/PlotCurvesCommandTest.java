package dev.gmsa.bench;

import dev.gmsa.testing.CommandRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code gmsa bench plot-curves}: curves from several CSV files in one PNG, and clear errors for bad files. */
class PlotCurvesCommandTest {
    @TempDir Path dir;

    private static CommandRun run(String... args) {
        return BenchRun.of("plot-curves", args);
    }

    @Test
    void drawsTheRunsOfEveryFileInOnePng() throws Exception {
        Path a = dir.resolve("a.csv"), b = dir.resolve("b.csv"), png = dir.resolve("plots/all.png");
        CurveFile.write(a, List.of(new CurveFile.Point("gmsa", 10, 2.0), new CurveFile.Point("gmsa", 20, 1.0)));
        CurveFile.write(b, List.of(new CurveFile.Point("tcp-ae", 10, 2.5), new CurveFile.Point("tcp-ae", 20, 1.5)));
        CommandRun r = run("--out", png.toString(), "--smooth", "2", a.toString(), b.toString());
        assertEquals(0, r.exit());
        assertTrue(r.out().contains("runs=gmsa,tcp-ae"), r.out());
        byte[] bytes = Files.readAllBytes(png);
        assertTrue(bytes.length > 100 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', "a PNG file");
    }

    @Test
    void csvRoundTripsThePoints() throws Exception {
        Path f = dir.resolve("c.csv");
        List<CurveFile.Point> points = List.of(new CurveFile.Point("gmsa-lsa2", 5, 1.25), new CurveFile.Point("icae", 7, 0.5));
        CurveFile.write(f, points);
        assertEquals(points, CurveFile.read(f));
    }

    @Test
    void aMalformedLineIsNamedByFileAndLine() throws Exception {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "run,step,loss\ngmsa,10,1.5\ngmsa,twenty,1.0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CurveFile.read(f));
        assertTrue(e.getMessage().contains("bad.csv:3"), e.getMessage());
        Files.writeString(f, "step,loss\n");
        e = assertThrows(IllegalArgumentException.class, () -> CurveFile.read(f));
        assertTrue(e.getMessage().contains("bad.csv:1") && e.getMessage().contains("header"), e.getMessage());
        assertEquals(1, run("--out", dir.resolve("x.png").toString(), f.toString()).exit());
    }
}
