package dev.gmsa.tensor;

/**
 * What is known of an I32 storage's values without reading them back: their smallest and largest value, and
 * whether every negative value equals the smallest (one padding id such as -1). Ids made on the host carry one,
 * so ops that validate ids ({@link Tensor#indexSelect}, cross-entropy in autograd) prove them in range without
 * a device-to-host copy; a storage without one (written by a kernel) is validated by downloading it.
 */
public record IdSummary(int min, int max, boolean oneNegativeValue) {
    /** The summary of host ints (empty arrays: an empty range that proves anything). */
    public static IdSummary of(int[] values) {
        int min = Integer.MAX_VALUE, max = Integer.MIN_VALUE;
        for (int v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean oneNegative = true;
        for (int v : values) if (v < 0 && v != min) { oneNegative = false; break; }
        return new IdSummary(min, max, oneNegative);
    }

    /** Values known to lie in [0, limit). */
    public boolean provesWithin(int limit) {
        return min >= 0 && max < limit;
    }

    /** Values known to be either ignoreIndex or in [0, limit). */
    public boolean provesTargets(int limit, int ignoreIndex) {
        return max < limit && (min >= 0 || (min == ignoreIndex && oneNegativeValue));
    }
}
