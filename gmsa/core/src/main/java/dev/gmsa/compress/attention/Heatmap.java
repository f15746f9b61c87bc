package dev.gmsa.compress.attention;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.util.List;

/**
 * One attention map drawn as a square of cells, queries down, keys across: colour = sqrt(p) from white to dark blue
 * (the square root keeps small shares visible next to an anchor), future keys light grey; thin lines mark the groups
 * of rate tokens and a red line where memory tokens begin. Tokens are written along both axes when there are few.
 */
final class Heatmap {
    static final int MATRIX = 320;      // target side of the cell square, px
    static final int MAX_LABELLED = 48; // positions up to which tokens are written out
    static final int TITLE = 22;
    private static final Color ANCHOR_BLUE = new Color(8, 48, 107), FUTURE = new Color(232, 232, 232);

    private final EncoderAttention attention;
    private final boolean labelled;
    private final int cell, labelMargin;

    Heatmap(EncoderAttention attention) {
        this.attention = attention;
        this.cell = Math.max(1, MATRIX / attention.positions());
        this.labelled = attention.positions() <= MAX_LABELLED;
        this.labelMargin = labelled ? 70 : 8;
    }

    int width() {
        return labelMargin + attention.positions() * cell + 12;
    }

    int height() {
        return TITLE + attention.positions() * cell + labelMargin + 4;
    }

    /** Draws layer's map with its top-left corner at (x, y). */
    void draw(Graphics2D g, int layer, String title, int x, int y) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, x + labelMargin, y + TITLE - 6);
        int left = x + labelMargin, top = y + TITLE;
        cells(g, attention.maps().get(layer), left, top);
        boundaries(g, left, top);
        if (labelled) labels(g, left, top);
    }

    private void cells(Graphics2D g, double[][] map, int left, int top) {
        int n = attention.positions();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                g.setColor(j > i ? FUTURE : shade(map[i][j]));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
            }
    }

    /** sqrt(p) between white (0) and dark blue (1). */
    static Color shade(double p) {
        double t = Math.sqrt(Math.max(0, Math.min(1, p)));
        return new Color(mix(255, ANCHOR_BLUE.getRed(), t), mix(255, ANCHOR_BLUE.getGreen(), t), mix(255, ANCHOR_BLUE.getBlue(), t));
    }

    private static int mix(int from, int to, double t) {
        return (int) Math.round(from + (to - from) * t);
    }

    private void boundaries(Graphics2D g, int left, int top) {
        int side = attention.positions() * cell, n = attention.contextTokens();
        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(150, 150, 150));
        if (attention.rate() * cell >= 4) // group lines only where groups are wider than a few pixels
            for (int b = attention.rate(); b < n; b += attention.rate()) {
                g.drawLine(left + b * cell, top, left + b * cell, top + side);
                g.drawLine(left, top + b * cell, left + side, top + b * cell);
            }
        g.setColor(new Color(200, 30, 30));
        if (attention.hasMemoryTokens()) {
            g.drawLine(left + n * cell, top, left + n * cell, top + side);
            g.drawLine(left, top + n * cell, left + side, top + n * cell);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, side, side);
    }

    private void labels(Graphics2D g, int left, int top) {
        List<String> labels = attention.labels();
        int fontSize = Math.max(8, Math.min(11, cell - 1));
        g.setFont(new Font(Font.MONOSPACED, Font.PLAIN, fontSize));
        g.setColor(Color.BLACK);
        int side = labels.size() * cell;
        for (int i = 0; i < labels.size(); i++) {
            String label = shorten(labels.get(i));
            int middle = i * cell + (cell + fontSize) / 2 - 1;
            g.drawString(label, left - 4 - g.getFontMetrics().stringWidth(label), top + middle);
            AffineTransform saved = g.getTransform();
            g.translate(left + middle, top + side + 4);
            g.rotate(Math.PI / 2);
            g.drawString(label, 0, 0);
            g.setTransform(saved);
        }
    }

    private static String shorten(String token) {
        String visible = token.replace("\n", "\\n").replace("\t", "\\t");
        return visible.length() <= 9 ? visible : visible.substring(0, 8) + "…";
    }
}
