package dev.gmsa.compress.attention;

import java.util.ArrayList;
import java.util.List;

/**
 * Where the queries of one GMSA group send their attention, on average over the group's tokens: to keys inside the
 * group, to the first token (counted here only when it lies outside the group), and to every other key. A GMSA soft
 * token is the mean of its group's last hidden states, so this is how much of its content it draws from its own
 * tokens rather than from an anchor. The three shares sum to 1.
 */
public record GroupShare(double inGroup, double firstToken, double other) {

    /** One share per soft token (group of rate context tokens), for one encoder layer. */
    public static List<GroupShare> of(EncoderAttention attention, int layer) {
        double[][] map = attention.maps().get(layer);
        List<GroupShare> shares = new ArrayList<>();
        for (int g = 0; g < attention.softTokens(); g++) {
            int start = attention.groupStart(g), end = attention.groupEnd(g);
            double inGroup = 0, first = 0, other = 0;
            for (int i = start; i < end; i++)
                for (int j = 0; j <= i; j++) {
                    if (j >= start) inGroup += map[i][j];
                    else if (j == 0) first += map[i][j];
                    else other += map[i][j];
                }
            int queries = end - start;
            shares.add(new GroupShare(inGroup / queries, first / queries, other / queries));
        }
        return shares;
    }

    /** The mean in-group share over soft tokens. */
    public static double meanInGroup(List<GroupShare> shares) {
        return shares.stream().mapToDouble(GroupShare::inGroup).average().orElse(Double.NaN);
    }
}
