package dev.gmsa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loss curves as CSV ({@code run,step,loss}, one point per line after a header), so runs made by separate
 * processes can be drawn in one plot ({@code bin/gmsa bench plot-curves}).
 */
final class CurveFile {
    static final String HEADER = "run,step,loss";

    /** One point of a named run's curve. */
    record Point(String run, int step, double loss) {}

    private CurveFile() {}

    static void write(Path file, List<Point> points) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Point p : points) {
            if (p.run().contains(",") || p.run().contains("\n"))
                throw new IllegalArgumentException("curve run name '" + p.run() + "' must not contain a comma or newline");
            sb.append(p.run()).append(',').append(p.step()).append(',').append(p.loss()).append('\n');
        }
        Files.writeString(file, sb);
    }

    /** The points of {@code file}; a malformed line is an error naming the file and line. */
    static List<Point> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER))
            throw new IllegalArgumentException(file + ":1: expected the header '" + HEADER + "'");
        List<Point> points = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) continue;
            String[] fields = line.split(",");
            if (fields.length != 3) throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected run,step,loss, got '" + line + "'");
            try {
                double loss = Double.parseDouble(fields[2]);
                if (!Double.isFinite(loss)) throw new NumberFormatException("not finite");
                points.add(new Point(fields[0], Integer.parseInt(fields[1]), loss));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": step must be an integer and loss a finite number, got '" + line + "'");
            }
        }
        return points;
    }
}
