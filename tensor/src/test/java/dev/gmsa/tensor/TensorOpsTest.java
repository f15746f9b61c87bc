package dev.gmsa.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tensor-level semantics checked against hand-computed values. */
class TensorOpsTest {
    @Test
    void bf16RoundsToNearestEvenOnTies() {
        // 1 + 2^-8 lies halfway between bf16 1.0 and 1 + 2^-7: the even mantissa (1.0) wins
        assertEquals((short) 0x3f80, DType.floatToBf16(Float.intBitsToFloat(0x3f808000)));
        // 1 + 3 * 2^-8 lies halfway between 1 + 2^-7 (odd) and 1 + 2^-6 (even): rounds up
        assertEquals((short) 0x3f82, DType.floatToBf16(Float.intBitsToFloat(0x3f818000)));
        assertEquals((short) 0x3f81, DType.floatToBf16(Float.intBitsToFloat(0x3f808001)), "above half rounds up");
        assertEquals((short) 0x7fc0, DType.floatToBf16(Float.NaN));
        float[] values = {Float.intBitsToFloat(0x3f808000), Float.intBitsToFloat(0x3f818000), -2.5f, 1e-3f};
        // the same ties through the vectorised copy (padded to a full vector and a tail)
        float[] many = new float[37];
        for (int i = 0; i < many.length; i++) many[i] = values[i % values.length];
        float[] back = Tensor.of(many).to(DType.BF16).to(DType.F32).toFloatArray();
        for (int i = 0; i < many.length; i++) assertEquals(DType.bf16ToFloat(DType.floatToBf16(many[i])), back[i], "element " + i);
        assertEquals(1f, back[0]);
        assertEquals(Float.intBitsToFloat(0x3f820000), back[1]);
    }

    @Test
    void broadcastingFollowsNumpyRules() {
        assertArrayEquals(new int[] {2, 3, 4}, Shape.broadcast(new int[] {3, 1}, new int[] {2, 1, 4}, "t"));
        Tensor col = Tensor.of(new float[] {1, 2}, 2, 1), row = Tensor.of(new float[] {10, 20, 30});
        assertArrayEquals(new float[] {11, 21, 31, 12, 22, 32}, col.add(row).toFloatArray());
        assertArrayEquals(new int[] {2, 3}, col.add(row).shape());
        assertArrayEquals(new float[] {2, 4}, col.mul(2f).toFloatArray());
    }

    @Test
    void concatAndStack() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), b = Tensor.of(new float[] {5, 6}, 2, 1);
        assertArrayEquals(new float[] {1, 2, 5, 3, 4, 6}, Tensor.concat(1, a, b).toFloatArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 1, 2, 3, 4}, Tensor.concat(0, a, a).toFloatArray());
        Tensor s = Tensor.stack(1, a, a.mul(10f));
        assertArrayEquals(new int[] {2, 2, 2}, s.shape());
        assertArrayEquals(new float[] {1, 2, 10, 20, 3, 4, 30, 40}, s.toFloatArray());
    }

    @Test
    void causalMaskMarksFutureKeys() {
        assertArrayEquals(new float[] {0, 1, 1, 0, 0, 1}, Tensor.causalMask(2, 3, 0).toFloatArray());
        // with 1 cached position, query t sees keys up to t + 1
        assertArrayEquals(new float[] {0, 0, 1, 0, 0, 0}, Tensor.causalMask(2, 3, 1).toFloatArray());
    }

    @Test
    void sumToUndoesBroadcasting() {
        Tensor g = Tensor.arange(24).reshape(2, 3, 4);
        assertArrayEquals(new float[] {60, 66, 72, 78}, g.sumTo(new int[] {4}).toFloatArray());
        Tensor col = g.sumTo(new int[] {3, 1});
        assertArrayEquals(new int[] {3, 1}, col.shape());
        assertArrayEquals(expectedColumnSums(), col.toFloatArray());
    }

    /** Sums of g[:, r, :] for r = 0, 1, 2 where g = 0 .. 23 as [2, 3, 4]. */
    private static float[] expectedColumnSums() {
        float[] out = new float[3];
        for (int b = 0; b < 2; b++)
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 4; c++) out[r] += b * 12 + r * 4 + c;
        return out;
    }

    @Test
    void reductionsKeepOrDropTheAxis() {
        Tensor t = Tensor.of(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new float[] {9, 12}, t.sum(1, false).toFloatArray());
        assertArrayEquals(new int[] {2, 1}, t.sum(1, true).shape());
        assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, t.mean(0, false).toFloatArray());
        assertArrayEquals(new int[] {1, 2}, t.argmax(1, false).toIntArray());
        assertEquals(21f, t.sum().item());
    }
}
