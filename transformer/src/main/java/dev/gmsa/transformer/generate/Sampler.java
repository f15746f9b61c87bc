package dev.gmsa.transformer.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Picks the next token from a row of logits; seeded, so a run can be repeated exactly. */
public final class Sampler {
    private final SamplingSettings settings;
    private final SplittableRandom rng;

    public Sampler(SamplingSettings settings) {
        this.settings = settings;
        this.rng = new SplittableRandom(settings.seed());
    }

    public int next(float[] logits) {
        if (settings.greedy()) return argmax(logits);
        int[] order = candidates(logits);
        double[] probs = softmax(logits, order, settings.temperature());
        int keep = nucleus(probs, settings.topP());
        double total = 0;
        for (int i = 0; i < keep; i++) total += probs[i];
        double r = rng.nextDouble() * total;
        for (int i = 0; i < keep; i++) {
            r -= probs[i];
            if (r <= 0) return order[i];
        }
        return order[keep - 1];
    }

    /** Index of the largest logit (the first one on ties). */
    public static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
        return best;
    }

    /** Token ids sorted by logit, best first, cut to top-k. */
    private int[] candidates(float[] logits) {
        Integer[] ids = new Integer[logits.length];
        for (int i = 0; i < ids.length; i++) ids[i] = i;
        Arrays.sort(ids, (a, b) -> Float.compare(logits[b], logits[a]));
        int k = settings.topK() == 0 ? ids.length : Math.min(settings.topK(), ids.length);
        int[] out = new int[k];
        for (int i = 0; i < k; i++) out[i] = ids[i];
        return out;
    }

    private static double[] softmax(float[] logits, int[] order, float temperature) {
        double max = logits[order[0]];
        double[] p = new double[order.length];
        double sum = 0;
        for (int i = 0; i < order.length; i++) {
            p[i] = Math.exp((logits[order[i]] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) p[i] /= sum;
        return p;
    }

    /** How many of the sorted probabilities make up the smallest prefix reaching topP. */
    private static int nucleus(double[] sortedProbs, float topP) {
        double cumulative = 0;
        for (int i = 0; i < sortedProbs.length; i++) {
            cumulative += sortedProbs[i];
            if (cumulative >= topP) return i + 1;
        }
        return sortedProbs.length;
    }
}
