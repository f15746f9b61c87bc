package dev.gmsa.bench;

import dev.gmsa.compress.train.LossCurve;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bin/gmsa bench plot-curves --out F.png CSV...}: draws the loss curves of several CSV files (written by
 * {@code ae-sweep}, one per process) in one plot, each run smoothed by a moving average over its points.
 */
@Command(name = "plot-curves", mixinStandardHelpOptions = true,
        description = "Draw the run,step,loss curves of several CSV files in one PNG.")
final class PlotCurvesCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", description = "CSV files with the header run,step,loss") List<Path> files;
    @Option(names = "--out", required = true, description = "PNG to write") Path out;
    @Option(names = "--title", defaultValue = "autoencoder loss") String title;
    @Option(names = "--smooth", defaultValue = "1", description = "moving average over this many points of a run") int smooth;

    @Override
    public Integer call() throws Exception {
        if (smooth < 1) throw new IllegalArgumentException("--smooth must be at least 1, got " + smooth);
        Map<String, List<CurveFile.Point>> runs = new LinkedHashMap<>();
        for (Path file : files)
            for (CurveFile.Point p : CurveFile.read(file)) runs.computeIfAbsent(p.run(), k -> new ArrayList<>()).add(p);
        LossCurve plot = new LossCurve(title);
        for (var run : runs.entrySet()) {
            List<CurveFile.Point> points = run.getValue();
            double window = 0;
            for (int i = 0; i < points.size(); i++) {
                window += points.get(i).loss() - (i >= smooth ? points.get(i - smooth).loss() : 0);
                plot.add(run.getKey(), points.get(i).step(), window / Math.min(i + 1, smooth));
            }
        }
        if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
        plot.writePng(out);
        System.out.println("runs=" + String.join(",", runs.keySet()));
        System.out.println("png=" + out);
        return 0;
    }
}
