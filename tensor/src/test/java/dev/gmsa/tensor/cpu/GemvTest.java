package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static dev.gmsa.tensor.cpu.GemmChecks.checkAgainstReference;
import static dev.gmsa.tensor.cpu.GemmChecks.withThreads;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The few-rows x transposed-weight path (decode) against the scalar reference, for every weight dtype. */
class GemvTest {
    @Provide
    Arbitrary<Integer> sizes() {
        // around the kernel's loops for 4-, 8- and 16-lane vectors: the 4-vector step, single vectors, a scalar tail
        return Arbitraries.of(1, 3, 4, 5, 15, 16, 17, 33, 63, 64, 65, 97, 129, 200);
    }

    @Provide
    Arbitrary<DType> floatingTypes() {
        return Arbitraries.of(DType.F32, DType.BF16, DType.F16);
    }

    @Property(tries = 50)
    void rowsTimesTransposedWeightMatchTheReference(@ForAll("sizes") int k, @ForAll("sizes") int n,
                                                    @ForAll("floatingTypes") DType weightType,
                                                    @ForAll("floatingTypes") DType inputType) {
        for (int m = 1; m <= Gemv.MAX_ROWS; m += 3) {
            Tensor x = Tensor.randn(k + m, 1f, m, k).to(inputType);
            Tensor weight = Tensor.randn(n * 7L + k, 1f, n, k).to(weightType);
            assertTrue(Gemv.applies(m, HostMatrix.of(weight.mT(), 0)));
            checkAgainstReference(x, weight.mT());
        }
    }

    @Test
    void largeWeightSplitOverThreadsMatchesTheReference() {
        // 700 x 301 weights: above the per-thread chunk size, odd row count and a vector tail in every row
        withThreads(2, () -> {
            for (DType type : new DType[] {DType.F32, DType.BF16, DType.F16}) {
                Tensor weight = Tensor.randn(21, 1f, 700, 301).to(type);
                checkAgainstReference(Tensor.randn(22, 1f, 1, 301), weight.mT());
            }
        });
    }

    @Test
    void mappedF32WeightsMatchTheReference() {
        // F32 weights in a memory segment (a mapped safetensors file) take their own load path; odd sizes and an offset
        for (int[] nk : new int[][] {{37, 97}, {5, 300}, {700, 301}}) {
            int n = nk[0], k = nk[1];
            float[] values = Tensor.randn(n + k, 1f, n * k + 3).toFloatArray();
            MemorySegment segment = Arena.ofAuto().allocate(4L * values.length, 64);
            MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT_UNALIGNED, 0, values.length);
            Tensor weight = new Tensor(CpuStorage.wrap(CpuBackend.instance(), segment, DType.F32), new int[] {n, k}, new int[] {k, 1}, 3);
            assertTrue(Gemv.applies(1, HostMatrix.of(weight.mT(), 0)));
            withThreads(2, () -> checkAgainstReference(Tensor.randn(k, 1f, 3, k), weight.mT()));
        }
    }

    @Test
    void weightRowsWithAnOffsetAndARowStrideMatchTheReference() {
        // W is a [40, 50] window of a [45, 60] BF16 matrix: rows contiguous, row stride 60, non-zero offset
        Tensor weight = Tensor.randn(23, 1f, 45, 60).to(DType.BF16).narrow(0, 3, 40).narrow(1, 7, 50);
        checkAgainstReference(Tensor.randn(24, 1f, 1, 50), weight.mT());
    }

    @Test
    void batchedDecodeAttentionMatchesTheReference() {
        // q [B*H, 1, hd] x keys [B*H, T, hd].mT(): one row per item against a transposed cache
        withThreads(2, () -> checkAgainstReference(Tensor.randn(25, 1f, 6, 1, 16),
                Tensor.randn(26, 1f, 6, 37, 16).to(DType.BF16).mT()));
    }
}
