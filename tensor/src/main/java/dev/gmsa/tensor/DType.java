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

    /** A floating storage type by the names users write (f32, bf16, f16, or torch's float32, bfloat16, float16). */
    public static DType floatingByName(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "float32" -> F32;
            case "bf16", "bfloat16" -> BF16;
            case "f16", "float16" -> F16;
            default -> throw new IllegalArgumentException("unknown floating dtype " + name + " (f32, bf16, f16)");
        };
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
