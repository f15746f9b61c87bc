package dev.gmsa.compress.attention;

/**
 * Anchor-token dominance as numbers (Fig. 1 of the paper shows it as maps): over a set of queries, the mean share of
 * attention taken by the two context tokens a query attends to most, and by the first token, next to the top-two share
 * that uniform causal attention would give (2 / visible context tokens) for comparison.
 */
public record AnchorDominance(double topTwoMass, double firstTokenMass) {

    /** Over the context's queries that see more than two tokens (all of them when the context is that short). */
    public static AnchorDominance ofContext(EncoderAttention attention, int layer) {
        int n = attention.contextTokens();
        return over(attention.maps().get(layer), n, n > 2 ? 2 : 0, n);
    }

    /** Over the memory tokens' queries (TCP-AE): how much of what they read comes from two context tokens. */
    public static AnchorDominance ofMemory(EncoderAttention attention, int layer) {
        return over(attention.maps().get(layer), attention.contextTokens(), attention.contextTokens(), attention.positions());
    }

    /** Means over queries [from, to) of maps rows; keys beyond the context (memory tokens) never count as anchors. */
    private static AnchorDominance over(double[][] map, int contextTokens, int from, int to) {
        double topTwo = 0, first = 0;
        for (int i = from; i < to; i++) {
            topTwo += topTwo(map[i], Math.min(contextTokens, i + 1));
            first += map[i][0];
        }
        int queries = to - from;
        return new AnchorDominance(topTwo / queries, first / queries);
    }

    /** The two largest of row[0, keys). */
    private static double topTwo(double[] row, int keys) {
        double best = 0, second = 0;
        for (int j = 0; j < keys; j++) {
            if (row[j] > best) {
                second = best;
                best = row[j];
            } else if (row[j] > second) {
                second = row[j];
            }
        }
        return best + second;
    }
}
