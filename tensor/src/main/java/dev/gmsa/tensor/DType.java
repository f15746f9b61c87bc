package dev.gmsa.tensor;

/** Storage element types. Arithmetic always happens in F32; BF16 and F16 are widened inside kernels. */
public enum DType {
    F32(4), BF16(2), F16(2), I32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloating() {
        return this != I32;
    }

    /** BF16 is the top half of an F32: widening is a 16-bit shift. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** Round-to-nearest-even narrowing to BF16 (NaN stays NaN). */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) return (short) 0x7fc0;
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
