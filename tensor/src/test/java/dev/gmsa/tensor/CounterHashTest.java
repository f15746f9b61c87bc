package dev.gmsa.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CounterHashTest {
    @Test
    void flippingOneInputBitFlipsAboutHalfTheOutputBits() {
        long flipped = 0, trials = 0;
        for (int x = 0; x < 2000; x++)
            for (int bit = 0; bit < 32; bit++, trials++)
                flipped += Integer.bitCount(CounterHash.mix(x) ^ CounterHash.mix(x ^ (1 << bit)));
        assertEquals(16.0, (double) flipped / trials, 0.2); // the avalanche a counter-based generator needs
    }

    @Test
    void uniformValuesLookUniformAndDependOnTheSeed() {
        int key = CounterHash.key(42), n = 100_000;
        double sum = 0;
        int[] buckets = new int[10];
        for (int i = 0; i < n; i++) {
            float u = CounterHash.uniform(key, i);
            assertTrue(u >= 0f && u < 1f, "u = " + u);
            sum += u;
            buckets[(int) (u * 10)]++;
        }
        assertEquals(0.5, sum / n, 0.005);
        for (int b : buckets) assertEquals(n / 10.0, b, 0.05 * n / 10); // each tenth within 5%
        assertNotEquals(CounterHash.uniform(CounterHash.key(42), 0), CounterHash.uniform(CounterHash.key(43), 0));
        assertNotEquals(CounterHash.key(1L), CounterHash.key(1L << 32)); // the seed's high half counts
    }
}
