package dev.gmsa.loaders.safetensors;

import dev.gmsa.tensor.DType;

import java.util.Arrays;
import java.util.Map;

/**
 * One tensor as a safetensors header describes it: dtype name, shape and its byte range [begin, end) inside the
 * data section (which starts right after the header).
 */
public record TensorEntry(String name, String dtype, int[] shape, long begin, long end) {
    /** Element sizes of every dtype of the safetensors format; the engine reads only some of them. */
    static final Map<String, Integer> DTYPE_BYTES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1),
            Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4),
            Map.entry("I64", 8), Map.entry("U64", 8), Map.entry("F64", 8));

    public TensorEntry {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public long byteLength() {
        return end - begin;
    }

    public long numel() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** The engine's dtype for this entry, or null when the engine cannot compute with it (F64, I64, ...). */
    public DType engineDType() {
        return engineDType(dtype);
    }

    static DType engineDType(String safetensorsDType) {
        return switch (safetensorsDType) {
            case "F32" -> DType.F32;
            case "BF16" -> DType.BF16;
            case "F16" -> DType.F16;
            case "I32" -> DType.I32;
            default -> null;
        };
    }

    static String safetensorsName(DType dtype) {
        return switch (dtype) {
            case F32 -> "F32";
            case BF16 -> "BF16";
            case F16 -> "F16";
            case I32 -> "I32";
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorEntry e && name.equals(e.name) && dtype.equals(e.dtype) && Arrays.equals(shape, e.shape)
                && begin == e.begin && end == e.end;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " bytes [" + begin + ", " + end + ")";
    }
}
