package dev.gmsa.tensor;

/**
 * Whether backends poison new buffers (system property {@code gmsa.poison-allocations=true}, set for every test
 * run by the build): F32/BF16/F16 elements become NaN and I32 elements {@link #POISON_ID}, so code that reads an
 * element of a fresh {@link Backend#allocate} buffer before writing it shows up as NaN or a bad id in a test.
 */
public final class Allocations {
    private Allocations() {}

    public static final boolean POISONED = Boolean.getBoolean("gmsa.poison-allocations");

    /** What an I32 element of a poisoned buffer holds: no valid id or count. */
    public static final int POISON_ID = -(1 << 30); // exact as a float, so device fill kernels store it too
}
