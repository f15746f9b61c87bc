package dev.gmsa.compress.attention;

import java.util.ArrayList;
import java.util.List;

/**
 * Where one memory token's attention lands (TCP-AE): on each context group of rate tokens (the groups GMSA would
 * merge), and on the memory tokens themselves. Memory tokens that concentrate on a few anchor tokens put most of their
 * mass on one or two groups. The shares sum to 1.
 *
 * @param groups mass per context group, in context order
 */
public record MemoryShare(double[] groups, double memory) {

    /** The largest mass any one context group gets. */
    public double topGroup() {
        double best = 0;
        for (double g : groups) best = Math.max(best, g);
        return best;
    }

    /** One share per memory token, for one encoder layer. */
    public static List<MemoryShare> of(EncoderAttention attention, int layer) {
        double[][] map = attention.maps().get(layer);
        int n = attention.contextTokens();
        List<MemoryShare> shares = new ArrayList<>();
        for (int i = n; i < attention.positions(); i++) {
            double[] groups = new double[attention.softTokens()];
            for (int g = 0; g < groups.length; g++)
                for (int j = attention.groupStart(g); j < attention.groupEnd(g); j++) groups[g] += map[i][j];
            double memory = 0;
            for (int j = n; j <= i; j++) memory += map[i][j];
            shares.add(new MemoryShare(groups, memory));
        }
        return shares;
    }
}
