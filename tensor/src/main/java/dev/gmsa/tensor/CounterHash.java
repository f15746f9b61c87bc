package dev.gmsa.tensor;

/**
 * Random numbers as a pure function of (seed, element number), so that every backend draws the same values in
 * parallel without sharing a generator's state: {@link Backend#uniform}'s scalar reference. The mixer is Chris
 * Wellons' "lowbias32" integer hash; the kernels (elementwise.cl, uniform_view) repeat it bit for bit.
 */
public final class CounterHash {
    private CounterHash() {}

    /** A well-mixed 32-bit value of x. */
    public static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x7feb352d;
        x ^= x >>> 15;
        x *= 0x846ca68b;
        x ^= x >>> 16;
        return x;
    }

    /** The per-seed key the element numbers are mixed with. */
    public static int key(long seed) {
        return mix((int) seed ^ mix((int) (seed >>> 32)));
    }

    /** A value in [0, 1) with 24 random bits: element {@code index} of the stream {@code key(seed)}. */
    public static float uniform(int key, int index) {
        return (mix(index ^ key) >>> 8) * 0x1.0p-24f;
    }
}
