package dev.gmsa.transformer.generate;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sampler on hand-made logits, where the allowed tokens and their frequencies can be worked out on paper. */
class SamplerTest {
    private static SamplingSettings sampling(float temperature, int topK, float topP, long seed) {
        return new SamplingSettings(false, temperature, topK, topP, seed);
    }

    private static float[] logitsOf(double... probabilities) {
        float[] logits = new float[probabilities.length];
        for (int i = 0; i < logits.length; i++) logits[i] = (float) Math.log(probabilities[i]);
        return logits;
    }

    private static int[] draws(SamplingSettings settings, float[] logits, int n) {
        Sampler sampler = new Sampler(settings);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = sampler.next(logits);
        return ids;
    }

    private static Set<Integer> distinct(int[] ids) {
        Set<Integer> set = new TreeSet<>();
        for (int id : ids) set.add(id);
        return set;
    }

    private static float[] toFloats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) out[i] = values.get(i);
        return out;
    }

    @Property(tries = 200)
    void greedyTopK1AndNearZeroTemperatureAllTakeTheArgmax(@ForAll @Size(min = 1, max = 40) List<@FloatRange(min = -20, max = 20) Float> values,
                                                           @ForAll long seed) {
        float[] logits = toFloats(values);
        int expected = 0;
        for (int i = 1; i < logits.length; i++) if (logits[i] > logits[expected]) expected = i;
        assertEquals(expected, Sampler.argmax(logits));
        assertEquals(expected, new Sampler(SamplingSettings.greedyDecoding()).next(logits));
        assertEquals(expected, new Sampler(sampling(1.7f, 1, 1f, seed)).next(logits), "top-k 1");
        // a tiny temperature makes any gap between the best two logits overwhelming
        float secondBest = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < logits.length; i++) if (i != expected) secondBest = Math.max(secondBest, logits[i]);
        if (logits[expected] - secondBest > 1e-2f)
            assertEquals(expected, new Sampler(sampling(1e-5f, 0, 1f, seed)).next(logits), "temperature 1e-5");
    }

    @Test
    void theSameSeedRepeatsTheIdsAndOtherSeedsDoNot() {
        float[] logits = logitsOf(0.2, 0.2, 0.2, 0.2, 0.2);
        int[] first = draws(sampling(1f, 0, 1f, 42), logits, 50);
        int[] again = draws(sampling(1f, 0, 1f, 42), logits, 50);
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(again));
        Set<String> sequences = new java.util.HashSet<>();
        for (long seed = 0; seed < 5; seed++) sequences.add(java.util.Arrays.toString(draws(sampling(1f, 0, 1f, seed), logits, 50)));
        assertEquals(5, sequences.size(), "five seeds should give five different 50-draw sequences over 5 equally likely tokens");
    }

    @Property(tries = 100)
    void topKNeverSamplesOutsideTheKLargestLogits(@ForAll @Size(min = 2, max = 30) List<@FloatRange(min = -5, max = 5) Float> values,
                                                  @ForAll @IntRange(min = 1, max = 5) int k, @ForAll long seed) {
        float[] logits = toFloats(values);
        float[] sorted = logits.clone();
        java.util.Arrays.sort(sorted);
        float kthLargest = sorted[Math.max(sorted.length - k, 0)];
        for (int id : draws(sampling(2f, k, 1f, seed), logits, 200))
            assertTrue(logits[id] >= kthLargest, "id " + id + " with logit " + logits[id] + " is not among the " + k + " largest (k-th = " + kthLargest + ")");
        if (k < logits.length) {
            // with a flat distribution all k are reachable, and no more
            float[] flat = new float[logits.length];
            assertEquals(k, distinct(draws(sampling(1f, k, 1f, seed), flat, 400)).size());
        }
    }

    @Test
    void topPKeepsTheSmallestSetWhoseProbabilityReachesP() {
        // sorted probabilities 0.5, 0.3, 0.15, 0.05 (shuffled over the ids): cumulative 0.5, 0.8, 0.95, 1.0
        float[] logits = logitsOf(0.15, 0.5, 0.05, 0.3);
        assertEquals(Set.of(1), distinct(draws(sampling(1f, 0, 0.1f, 7), logits, 2000)), "p=0.1: the best token alone");
        assertEquals(Set.of(1), distinct(draws(sampling(1f, 0, 0.45f, 7), logits, 2000)), "p=0.45 < 0.5");
        assertEquals(Set.of(1, 3), distinct(draws(sampling(1f, 0, 0.7f, 7), logits, 2000)), "p=0.7: 0.5 + 0.3");
        assertEquals(Set.of(0, 1, 3), distinct(draws(sampling(1f, 0, 0.9f, 7), logits, 2000)), "p=0.9: 0.5 + 0.3 + 0.15");
        assertEquals(Set.of(0, 1, 2, 3), distinct(draws(sampling(1f, 0, 0.97f, 7), logits, 4000)), "p=0.97 needs all four");
        assertEquals(Set.of(0, 1, 2, 3), distinct(draws(sampling(1f, 0, 1f, 7), logits, 4000)), "p=1 keeps everything");
        // top-k cuts first, then top-p works on the renormalised top-k: 0.5/0.8 = 0.625 >= 0.6
        assertEquals(Set.of(1), distinct(draws(sampling(1f, 2, 0.6f, 7), logits, 2000)), "top-k 2 then p=0.6");
    }

    @Test
    void topPWithTiedProbabilitiesKeepsOnlyAsManyAsNeeded() {
        // 0.4 then three tied at 0.2: p=0.5 needs the best and one of the tied, p=0.7 two of them
        float[] logits = logitsOf(0.2, 0.2, 0.4, 0.2);
        Set<Integer> half = distinct(draws(sampling(1f, 0, 0.5f, 3), logits, 2000));
        assertEquals(2, half.size(), "p=0.5 over 0.4, 0.2, 0.2, 0.2 keeps two tokens, got " + half);
        assertTrue(half.contains(2));
        Set<Integer> seventy = distinct(draws(sampling(1f, 0, 0.7f, 3), logits, 2000));
        assertEquals(3, seventy.size(), "p=0.7 keeps three tokens, got " + seventy);
        assertTrue(seventy.containsAll(half), "the nucleus grows by adding tokens, not by swapping tied ones");
        // a flat distribution with p=1: every token
        assertEquals(Set.of(0, 1, 2, 3, 4, 5), distinct(draws(sampling(1f, 0, 1f, 3), new float[6], 2000)));
    }

    @Test
    void temperatureReshapesTheFrequenciesOfAThreeTokenDistribution() {
        // p = (0.5, 0.3, 0.2); temperature T samples p^(1/T) renormalised
        float[] logits = logitsOf(0.5, 0.3, 0.2);
        for (float temperature : new float[] {0.5f, 1f, 2f}) {
            double[] expected = new double[3];
            double sum = 0;
            for (int i = 0; i < 3; i++) sum += expected[i] = Math.pow(new double[] {0.5, 0.3, 0.2}[i], 1 / temperature);
            int n = 20_000;
            int[] counts = new int[3];
            for (int id : draws(sampling(temperature, 0, 1f, 2024), logits, n)) counts[id]++;
            for (int i = 0; i < 3; i++) {
                double frequency = counts[i] / (double) n;
                // sd of a frequency is at most 0.0036 here; 0.015 is 4 sd, while T=1 vs T=2 differ by >= 0.06
                assertEquals(expected[i] / sum, frequency, 0.015, "T=" + temperature + ", token " + i);
            }
        }
    }

    @Test
    void badSettingsAreRejectedByName() {
        assertMessage("temperature", () -> sampling(0f, 0, 1f, 0));
        assertMessage("temperature", () -> sampling(-0.5f, 0, 1f, 0));
        assertMessage("temperature", () -> sampling(Float.NaN, 0, 1f, 0));
        assertMessage("top-k", () -> sampling(1f, -1, 1f, 0));
        assertMessage("top-p", () -> sampling(1f, 0, 0f, 0));
        assertMessage("top-p", () -> sampling(1f, 0, 1.01f, 0));
        assertMessage("top-p", () -> sampling(1f, 0, Float.NaN, 0));
        assertMessage("top-p", () -> sampling(1f, 0, -0.2f, 0));
        // greedy ignores the temperature, so 0 is fine there
        assertEquals(2, new Sampler(new SamplingSettings(true, 0f, 0, 1f, 0)).next(new float[] {0, 1, 3}));
    }

    private static void assertMessage(String setting, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(setting), "message should name " + setting + ": " + e.getMessage());
    }
}
