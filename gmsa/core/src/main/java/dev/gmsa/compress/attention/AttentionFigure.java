package dev.gmsa.compress.attention;

import dev.gmsa.loaders.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The attention figure of one window, as one PNG: a grid of heatmaps (one per encoder layer, head-averaged), then a
 * line chart per soft token and layer of the mass that shows anchor dominance: for GMSA the share its group's queries
 * keep inside the group, for memory tokens the share of the one context group they attend to most; a dashed line gives
 * the same figure under uniform attention, which no anchor dominates.
 */
public final class AttentionFigure {
    private static final int COLUMNS = 4, HEADER = 40, CHART_HEIGHT = 340, MIN_WIDTH = 720;

    private AttentionFigure() {}

    /** Writes the figure atomically (temp file, then rename). */
    public static void write(EncoderAttention attention, Path file) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = draw(attention);
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) throw new IOException("no PNG writer in this JDK");
        });
    }

    static BufferedImage draw(EncoderAttention attention) {
        Heatmap heatmap = new Heatmap(attention);
        int layers = attention.maps().size(), columns = Math.min(COLUMNS, layers), rows = (layers + columns - 1) / columns;
        int width = Math.max(MIN_WIDTH, columns * heatmap.width());
        int gridHeight = rows * heatmap.height();
        BufferedImage image = new BufferedImage(width, HEADER + gridHeight + CHART_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        header(g, attention);
        for (int layer = 0; layer < layers; layer++) {
            AnchorDominance d = AnchorDominance.ofContext(attention, layer);
            String title = String.format(Locale.ROOT, "layer %d  top-2 %.2f  first %.2f", layer, d.topTwoMass(), d.firstTokenMass());
            heatmap.draw(g, layer, title, (layer % columns) * heatmap.width(), HEADER + (layer / columns) * heatmap.height());
        }
        g.drawImage(BitmapEncoder.getBufferedImage(softTokenChart(attention, width)), 0, HEADER + gridHeight, null);
        g.dispose();
        return image;
    }

    private static void header(Graphics2D g, EncoderAttention a) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String memory = a.hasMemoryTokens() ? " + " + (a.positions() - a.contextTokens()) + " memory tokens (after the red line)" : "";
        g.drawString(String.format("encoder attention (%s, rate %d): %d context tokens%s; head mean, colour = sqrt(p), grey = future keys",
                a.method(), a.rate(), a.contextTokens(), memory), 8, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("p = 0", 8, 34);
        for (int x = 0; x < 160; x++) {
            double sqrtP = x / 159.0;
            g.setColor(Heatmap.shade(sqrtP * sqrtP)); // a strip even in sqrt(p), as the cells are
            g.fillRect(44 + x, 25, 1, 10);
        }
        g.setColor(Color.BLACK);
        g.drawString("1", 208, 34);
    }

    private static XYChart softTokenChart(EncoderAttention a, int width) {
        boolean memory = a.hasMemoryTokens();
        String title = memory ? "memory tokens: share of attention on the context group (of " + a.rate() + " tokens) each attends to most"
                : "soft tokens: share of the group's attention that stays inside the group";
        XYChart chart = new XYChartBuilder().width(width).height(CHART_HEIGHT).title(title)
                .xAxisTitle(memory ? "memory token" : "soft token (group)").yAxisTitle("attention mass").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setChartBackgroundColor(Color.WHITE)
                .setChartTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int tokens = a.softTokens();
        double[] x = new double[tokens];
        for (int s = 0; s < tokens; s++) x[s] = s; // 0-based, as the key=value lines count
        for (int layer = 0; layer < a.maps().size(); layer++)
            chart.addSeries("layer " + layer, x, perSoftToken(a, layer));
        XYSeries uniform = chart.addSeries("uniform attention", x, perSoftToken(a.uniformReference(), 0));
        uniform.setMarker(SeriesMarkers.NONE);
        uniform.setLineStyle(SeriesLines.DASH_DASH);
        uniform.setLineColor(Color.GRAY);
        return chart;
    }

    private static double[] perSoftToken(EncoderAttention a, int layer) {
        if (a.hasMemoryTokens()) return MemoryShare.of(a, layer).stream().mapToDouble(MemoryShare::topGroup).toArray();
        return GroupShare.of(a, layer).stream().mapToDouble(GroupShare::inGroup).toArray();
    }
}
