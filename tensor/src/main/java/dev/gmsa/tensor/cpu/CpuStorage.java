package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Allocations;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.KnownIdsStorage;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Host memory. F32 and I32 buffers the engine creates are Java arrays (the fastest thing the Vector API
 * reads); BF16/F16 data and memory-mapped checkpoint tensors stay in a {@link MemorySegment}, read in place.
 */
public final class CpuStorage extends KnownIdsStorage {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;

    private final Backend backend;
    private final DType dtype;
    private final int length;
    /** Non-null for heap F32 storage. */
    final float[] floats;
    /** Non-null for I32 storage. */
    final int[] ints;
    /** Non-null for every other storage (BF16/F16, mapped F32). */
    final MemorySegment segment;

    private CpuStorage(Backend backend, DType dtype, int length, float[] floats, int[] ints, MemorySegment segment) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.floats = floats;
        this.ints = ints;
        this.segment = segment;
    }

    static CpuStorage ofFloats(Backend backend, float[] data) {
        return new CpuStorage(backend, DType.F32, data.length, data, null, null);
    }

    static CpuStorage ofInts(Backend backend, int[] data) {
        return new CpuStorage(backend, DType.I32, data.length, null, data, null);
    }

    /** Java zero-fills new arrays; under {@link Allocations#POISONED} they are poisoned instead (see there). */
    static CpuStorage allocate(Backend backend, DType dtype, int length) {
        boolean poison = Allocations.POISONED;
        return switch (dtype) {
            case F32 -> {
                float[] a = new float[length];
                if (poison) Arrays.fill(a, Float.NaN);
                yield ofFloats(backend, a);
            }
            case I32 -> {
                int[] a = new int[length];
                if (poison) Arrays.fill(a, Allocations.POISON_ID);
                yield ofInts(backend, a);
            }
            case BF16, F16 -> {
                short[] a = new short[length];
                if (poison) Arrays.fill(a, (short) (dtype == DType.BF16 ? 0x7FC0 : 0x7E00)); // quiet NaN
                yield new CpuStorage(backend, dtype, length, null, null, MemorySegment.ofArray(a));
            }
        };
    }

    /** Wraps existing memory (a slice of a memory-mapped file, say) without copying. */
    public static CpuStorage wrap(Backend backend, MemorySegment segment, DType dtype) {
        if (segment.byteSize() % dtype.byteSize() != 0)
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is not a whole number of " + dtype + " elements");
        long n = segment.byteSize() / dtype.byteSize();
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("segment of " + n + " elements is too large for one tensor");
        return new CpuStorage(backend, dtype, (int) n, null, null, segment);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** The heap array of an F32 storage, or null. */
    public float[] floatArray() {
        return floats;
    }

    public int[] intArray() {
        return ints;
    }

    public MemorySegment segment() {
        return segment;
    }

    /** Element i widened to float. */
    public float get(int i) {
        if (floats != null) return floats[i];
        if (ints != null) return ints[i];
        return switch (dtype) {
            case F32 -> segment.getAtIndex(F32, i);
            case BF16 -> DType.bf16ToFloat(segment.getAtIndex(U16, i));
            case F16 -> Float.float16ToFloat(segment.getAtIndex(U16, i));
            case I32 -> segment.getAtIndex(I32, i);
        };
    }

    /** Stores v at element i, narrowing to this storage's dtype. */
    public void set(int i, float v) {
        if (floats != null) { floats[i] = v; return; }
        if (ints != null) { ints[i] = (int) v; return; }
        switch (dtype) {
            case F32 -> segment.setAtIndex(F32, i, v);
            case BF16 -> segment.setAtIndex(U16, i, DType.floatToBf16(v));
            case F16 -> segment.setAtIndex(U16, i, Float.floatToFloat16(v));
            case I32 -> segment.setAtIndex(I32, i, (int) v);
        }
    }

    /** Element i as an int; I32 data is read exactly (never through float, which loses integers above 2^24). */
    public int getInt(int i) {
        if (ints != null) return ints[i];
        if (dtype == DType.I32) return segment.getAtIndex(I32, i);
        return (int) get(i);
    }

    public void setInt(int i, int v) {
        if (ints != null) ints[i] = v;
        else if (dtype == DType.I32) segment.setAtIndex(I32, i, v);
        else set(i, v);
    }
}
