package dev.gmsa.compress.attention;

import dev.gmsa.autograd.Grad;
import dev.gmsa.compress.model.Compressor;
import dev.gmsa.compress.model.SummaryKind;
import dev.gmsa.compress.pipeline.GmsaSystem;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the encoder attends to while compressing one window: per encoder layer the head-averaged attention map over
 * the sequence it sees (the context tokens, then the memory tokens when the method appends them). Row i is query i's
 * distribution over keys [0, i].
 *
 * @param labels        one per position: the context tokens as the vocabulary spells them, then "<M0>", "<M1>", ...
 * @param contextTokens positions [0, contextTokens) are the context; the rest are memory tokens
 * @param maps          per encoder layer, [positions][positions]
 */
public record EncoderAttention(String method, int rate, List<String> labels, int contextTokens, List<double[][]> maps) {

    /** Compresses {@code text} (one window, encoder tokens) at {@code rate} with the encoder watched. */
    public static EncoderAttention of(GmsaSystem system, String text, int rate) {
        int[] ids = system.encoderTokenizer().encode(text);
        boolean memory = system.compressor().spec().summary() == SummaryKind.MEMORY_TOKENS;
        requireOneWindow(system, ids.length, rate, memory);
        List<double[][]> maps = watchEncoder(system.compressor(), ids, rate);
        List<String> labels = labels(system.encoderTokenizer(), ids, memory ? Compressor.softTokenCount(ids.length, rate) : 0);
        return new EncoderAttention(system.manifest().method(), rate, labels, ids.length, maps);
    }

    private static void requireOneWindow(GmsaSystem system, int tokens, int rate, boolean memory) {
        int window = system.manifest().window(), trained = system.manifest().maxSoftTokens();
        if (tokens == 0) throw new IllegalArgumentException("the text is empty (no encoder tokens)");
        if (tokens > window)
            throw new IllegalArgumentException("the text is " + tokens + " encoder tokens, longer than the encoder's window of "
                    + window + " (attention maps cover one window: shorten the text)");
        if (rate < 1) throw new IllegalArgumentException("rate must be >= 1, got " + rate);
        int needed = Compressor.softTokenCount(tokens, rate);
        if (memory && needed > trained)
            throw new IllegalArgumentException("rate " + rate + " needs " + needed + " memory tokens for " + tokens + " tokens, the folder trained "
                    + trained + " (use a rate of at least " + Compressor.softTokenCount(tokens, trained) + ")");
    }

    /** The head-averaged map of every encoder layer while compressing ids. */
    private static List<double[][]> watchEncoder(Compressor compressor, int[] ids, int rate) {
        Map<Integer, double[][]> byLayer = new TreeMap<>();
        compressor.setEncoderProbe((layer, start, p) -> byLayer.put(layer, headMean(p)));
        try (var noGrad = Grad.disabled()) {
            compressor.compress(ids, rate);
        } finally {
            compressor.setEncoderProbe(null);
        }
        return List.copyOf(byLayer.values());
    }

    /** [heads, T, S] -> [T][S], the mean over heads (still a distribution per row). */
    static double[][] headMean(Tensor probabilities) {
        int heads = probabilities.size(0), t = probabilities.size(1), s = probabilities.size(2);
        float[] p = probabilities.contiguous().toFloatArray();
        double[][] mean = new double[t][s];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < t; i++)
                for (int j = 0; j < s; j++) mean[i][j] += p[(h * t + i) * s + j] / (double) heads;
        return mean;
    }

    private static List<String> labels(Tokenizer tokenizer, int[] ids, int memoryTokens) {
        List<String> labels = new ArrayList<>();
        for (int id : ids) {
            String token = tokenizer.token(id);
            labels.add(token != null ? token : Integer.toString(id));
        }
        for (int m = 0; m < memoryTokens; m++) labels.add("<M" + m + ">");
        return labels;
    }

    /**
     * The same window with one layer of uniform causal attention (each query spreads evenly over the keys it sees):
     * what every figure would be without any anchor, to read the real ones against.
     */
    public EncoderAttention uniformReference() {
        int n = positions();
        double[][] map = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) map[i][j] = 1.0 / (i + 1);
        return new EncoderAttention(method, rate, labels, contextTokens, List.<double[][]>of(map));
    }

    /** Whether memory tokens follow the context (TCP-AE, ICAE) rather than groups being merged (GMSA). */
    public boolean hasMemoryTokens() {
        return labels.size() > contextTokens;
    }

    public int positions() {
        return labels.size();
    }

    /** Soft tokens this window becomes: one per group of {@code rate} context tokens. */
    public int softTokens() {
        return Compressor.softTokenCount(contextTokens, rate);
    }

    /** Context positions [first, end) of group g. */
    public int groupStart(int g) {
        return g * rate;
    }

    public int groupEnd(int g) {
        return Math.min(contextTokens, (g + 1) * rate);
    }
}
