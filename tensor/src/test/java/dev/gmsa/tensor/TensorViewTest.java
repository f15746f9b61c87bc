package dev.gmsa.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Views share storage and pick the right elements; copies happen only when a layout forces them. */
class TensorViewTest {
    /** [2, 3, 4] holding 0 .. 23. */
    private static Tensor counting() {
        return Tensor.arange(24).reshape(2, 3, 4);
    }

    @Test
    void reshapeOfAContiguousTensorIsAViewOnTheSameStorage() {
        Tensor t = counting();
        Tensor r = t.reshape(4, -1);
        assertSame(t.storage(), r.storage());
        assertArrayEquals(new int[] {4, 6}, r.shape());
        assertEquals(7f, r.get(1, 1));
    }

    @Test
    void reshapeSplittingAContiguousRunOfAViewStaysAView() {
        Tensor t = Tensor.arange(48).reshape(4, 12).narrow(0, 1, 2); // rows 1..2, contiguous runs of 12
        Tensor r = t.reshape(2, 3, 4);
        assertSame(t.storage(), r.storage());
        assertEquals(12 + 4 * 1 + 2, r.get(0, 1, 2));
    }

    @Test
    void reshapeOfATransposeCopies() {
        Tensor t = counting().transpose(1, 2); // [2, 4, 3]
        Tensor r = t.reshape(2, 12);
        assertNotSame(t.storage(), r.storage());
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, r.select(0, 0).toFloatArray());
    }

    @Test
    void permuteAndTransposeMoveStridesNotData() {
        Tensor t = counting();
        Tensor p = t.permute(2, 0, 1); // [4, 2, 3]
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        assertArrayEquals(new int[] {1, 12, 4}, p.strides());
        assertEquals(t.get(1, 2, 3), p.get(3, 1, 2));
        assertSame(t.storage(), p.storage());
        assertEquals(t.get(0, 2, 1), t.transpose(0, 2).get(1, 2, 0));
        assertEquals(t.get(1, 0, 3), t.mT().get(1, 3, 0));
    }

    @Test
    void narrowSelectSqueezeAndUnsqueeze() {
        Tensor t = counting();
        Tensor n = t.narrow(2, 1, 2); // [2, 3, 2], starts at element 1
        assertEquals(1, n.offset());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, n.toFloatArray());
        Tensor s = t.select(1, 2); // [2, 4]
        assertArrayEquals(new float[] {8, 9, 10, 11, 20, 21, 22, 23}, s.toFloatArray());
        Tensor u = s.unsqueeze(1); // [2, 1, 4]
        assertArrayEquals(new int[] {2, 1, 4}, u.shape());
        assertArrayEquals(s.toFloatArray(), u.squeeze(1).toFloatArray());
        assertArrayEquals(new int[] {2, 4, 1}, s.unsqueeze(-1).shape());
    }

    @Test
    void expandBroadcastsWithStrideZero() {
        Tensor row = Tensor.of(new float[] {1, 2, 3}, 1, 3);
        Tensor e = row.expand(2, 2, 3);
        assertArrayEquals(new int[] {0, 0, 1}, e.strides());
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3}, e.toFloatArray());
        assertSame(row.storage(), e.storage());
    }

    @Test
    void contiguousCopiesOnlyWhenNeeded() {
        Tensor t = counting();
        assertSame(t, t.contiguous());
        assertTrue(t.narrow(0, 1, 1).isContiguous());
        Tensor tr = t.mT();
        assertFalse(tr.isContiguous());
        Tensor c = tr.contiguous();
        assertNotSame(tr.storage(), c.storage());
        assertTrue(c.isContiguous());
        assertArrayEquals(tr.toFloatArray(), c.toFloatArray());
        assertTrue(Tensor.zeros(3, 0).isContiguous(), "an empty tensor has nothing out of place");
    }

    @Test
    void copyIsAlwaysFreshAndCopyFromWritesThroughAView() {
        Tensor t = Tensor.zeros(3, 4);
        assertNotSame(t.storage(), t.copy().storage());
        t.narrow(1, 1, 2).copyFrom(Tensor.of(new float[] {7, 8}));
        assertArrayEquals(new float[] {0, 7, 8, 0, 0, 7, 8, 0, 0, 7, 8, 0}, t.toFloatArray());
    }
}
