package dev.gmsa.bench;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.CpuStorage;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Benchmark inputs built directly in their storage type (a 128 MB BF16 matrix is not worth an F32 detour). */
public final class BenchData {
    private BenchData() {}

    /** [rows, cols] BF16 values uniform in [-1, 1). */
    public static Tensor randomBf16(long seed, int rows, int cols) {
        SplittableRandom rng = new SplittableRandom(seed);
        short[] bits = new short[Math.multiplyExact(rows, cols)];
        for (int i = 0; i < bits.length; i++) bits[i] = DType.floatToBf16((float) (2 * rng.nextDouble() - 1));
        CpuStorage storage = CpuStorage.wrap(CpuBackend.instance(), MemorySegment.ofArray(bits), DType.BF16);
        int[] shape = {rows, cols};
        return new Tensor(storage, shape, Shape.contiguousStrides(shape), 0);
    }
}
