package dev.gmsa.compress.train;

import dev.gmsa.loaders.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Loss per step of one or more runs, drawn as a PNG line chart (XChart, headless). */
public final class LossCurve {
    private final String title;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    public LossCurve(String title) {
        this.title = title;
    }

    public void add(String run, int step, double loss) {
        series.computeIfAbsent(run, k -> new ArrayList<>()).add(new double[] {step, loss});
    }

    public List<double[]> points(String run) {
        return series.getOrDefault(run, List.of());
    }

    /** Writes the chart atomically (temp file, then rename). */
    public void writePng(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("step").yAxisTitle("loss").build();
        chart.getStyler().setMarkerSize(0);
        for (var e : series.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            if (x.length == 0) continue;
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.NONE);
        }
        // the encoder appends ".png" to the name it is given; AtomicFiles' temporary name ends in it
        AtomicFiles.writeFile(file, tmp -> BitmapEncoder.saveBitmap(chart, tmp.toString().replaceAll("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG));
    }
}
