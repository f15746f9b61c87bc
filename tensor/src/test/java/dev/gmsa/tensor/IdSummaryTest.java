package dev.gmsa.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdSummaryTest {
    @Test
    void summarisesHostIds() {
        IdSummary s = IdSummary.of(new int[] {4, -1, 0, 7, -1});
        assertEquals(new IdSummary(-1, 7, true), s);
        assertTrue(s.provesTargets(8, -1));
        assertFalse(s.provesTargets(7, -1), "7 is outside [0, 7)");
        assertFalse(s.provesTargets(8, -100), "-1 is neither a class nor the ignored id");
        assertFalse(s.provesWithin(8), "-1 is not an index");
        assertTrue(IdSummary.of(new int[] {0, 3}).provesWithin(4));
        assertFalse(IdSummary.of(new int[] {-2, -1, 3}).provesTargets(4, -2), "-1 hides behind the smallest negative");
    }

    @Test
    void hostIdsCarryASummaryAndWritesForgetIt() {
        Tensor ids = Tensor.ofInts(new int[] {2, 0, 1});
        assertEquals(new IdSummary(0, 2, true), ids.storage().knownIds());
        assertEquals(new IdSummary(0, 4, true), Tensor.zeros(2, 5).argmax(1, false).storage().knownIds());
        ids.copyFrom(Tensor.ofInts(new int[] {9, 9, 9}));
        assertNull(ids.storage().knownIds(), "the values changed: the summary no longer holds");
        // unknown ids are still validated (by reading them back), with the same message
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(3, 2).indexSelect(0, ids));
        assertTrue(e.getMessage().contains("index 9 outside [0, 3)"), e.getMessage());
    }

    @Test
    void provenIdsAreStillCheckedAgainstTheirLimit() {
        ShapeException e = assertThrows(ShapeException.class, () -> Tensor.zeros(3, 2).indexSelect(0, Tensor.ofInts(new int[] {0, 3})));
        assertTrue(e.getMessage().contains("index 3 outside [0, 3)"), e.getMessage());
    }
}
