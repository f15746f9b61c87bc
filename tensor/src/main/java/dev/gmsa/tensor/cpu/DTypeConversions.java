package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Widening of stored BF16/F16/F32 ranges to float rows and narrowing back. BF16 is the top half of an F32,
 * so widening is a 16-bit shift of short lanes and narrowing a round-to-nearest-even add and shift, both
 * vectorised; F16 goes through the JDK's scalar (intrinsified) conversions.
 */
final class DTypeConversions {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Short lanes, as many as F has: half the bit size. */
    private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private DTypeConversions() {}

    /** dest[destOff + k] = element (first + k) of a BF16/F16/F32 segment, for k < n. */
    static void widen(MemorySegment src, DType dtype, int first, int n, float[] dest, int destOff) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, F32, (long) first * 4, dest, destOff, n);
            case BF16 -> widenBf16(src, first, n, dest, destOff);
            case F16 -> {
                for (int k = 0; k < n; k++) dest[destOff + k] = Float.float16ToFloat(src.getAtIndex(U16, first + k));
            }
            case I32 -> throw new IllegalArgumentException("widen: I32 is not a floating dtype");
        }
    }

    /** Element (first + k) of a BF16/F16/F32 segment = src[srcOff + k], rounded to nearest even. */
    static void narrow(float[] src, int srcOff, int n, MemorySegment dest, DType dtype, int first) {
        switch (dtype) {
            case F32 -> MemorySegment.copy(src, srcOff, dest, F32, (long) first * 4, n);
            case BF16 -> narrowBf16(src, srcOff, n, dest, first);
            case F16 -> {
                for (int k = 0; k < n; k++) dest.setAtIndex(U16, first + k, Float.floatToFloat16(src[srcOff + k]));
            }
            case I32 -> throw new IllegalArgumentException("narrow: I32 is not a floating dtype");
        }
    }

    private static void widenBf16(MemorySegment src, int first, int n, float[] dest, int destOff) {
        int k = 0, bound = F.loopBound(n);
        for (; k < bound; k += F.length()) {
            ShortVector bits = ShortVector.fromMemorySegment(S, src, (long) (first + k) * 2, ORDER);
            IntVector wide = (IntVector) bits.convertShape(VectorOperators.S2I, I, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dest, destOff + k);
        }
        for (; k < n; k++) dest[destOff + k] = DType.bf16ToFloat(src.getAtIndex(U16, first + k));
    }

    /** The vector form of {@link DType#floatToBf16}: add 0x7fff plus the lowest kept bit, keep the top half. */
    private static void narrowBf16(float[] src, int srcOff, int n, MemorySegment dest, int first) {
        IntVector quietNan = IntVector.broadcast(I, 0x7fc0);
        int k = 0, bound = F.loopBound(n);
        for (; k < bound; k += F.length()) {
            FloatVector v = FloatVector.fromArray(F, src, srcOff + k);
            IntVector bits = v.reinterpretAsInts();
            IntVector rounding = bits.lanewise(VectorOperators.LSHR, 16).and(1).add(0x7fff);
            IntVector top = bits.add(rounding).lanewise(VectorOperators.LSHR, 16);
            top = top.blend(quietNan, v.test(VectorOperators.IS_NAN).cast(I));
            ShortVector narrow = (ShortVector) top.convertShape(VectorOperators.I2S, S, 0);
            narrow.intoMemorySegment(dest, (long) (first + k) * 2, ORDER);
        }
        for (; k < n; k++) dest.setAtIndex(U16, first + k, DType.floatToBf16(src[srcOff + k]));
    }
}
