package dev.gmsa.compress.attention;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The attention figures on maps whose answer is known: a perfect anchor (every query attends only to the first token)
 * is total dominance, and uniform causal attention gives the shares counting predicts.
 */
class AttentionSharesTest {
    private static final int CONTEXT = 8, RATE = 4;

    /** Every query puts all its attention on position 0. */
    private static EncoderAttention firstTokenAnchor(int memoryTokens) {
        int n = CONTEXT + memoryTokens;
        double[][] map = new double[n][n];
        for (double[] row : map) row[0] = 1;
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) labels.add(i < CONTEXT ? "t" + i : "<M" + (i - CONTEXT) + ">");
        return new EncoderAttention("test", RATE, labels, CONTEXT, List.<double[][]>of(map));
    }

    @Test
    void aPerfectAnchorTakesAllTheMass() {
        EncoderAttention anchor = firstTokenAnchor(0);
        assertEquals(new AnchorDominance(1, 1), AnchorDominance.ofContext(anchor, 0));
        List<GroupShare> shares = GroupShare.of(anchor, 0);
        assertEquals(new GroupShare(1, 0, 0), shares.get(0), "the first group holds the anchor itself");
        assertEquals(new GroupShare(0, 1, 0), shares.get(1), "the second group keeps nothing of its own");
    }

    @Test
    void memoryTokensOnAnAnchorPutEverythingOnItsGroup() {
        EncoderAttention anchor = firstTokenAnchor(2);
        assertEquals(new AnchorDominance(1, 1), AnchorDominance.ofMemory(anchor, 0));
        for (MemoryShare share : MemoryShare.of(anchor, 0)) {
            assertArrayEquals(new double[] {1, 0}, share.groups());
            assertEquals(0, share.memory());
            assertEquals(1, share.topGroup());
        }
    }

    @Test
    void uniformAttentionGivesTheCountingShares() {
        EncoderAttention uniform = firstTokenAnchor(2).uniformReference();
        double[][] map = uniform.maps().get(0);
        assertEquals(1.0 / 3, map[2][1], 1e-12);
        // group 1 = tokens 4..7; query i sees i + 1 keys, i - 3 of them in its group, one of them the first token
        double inGroup = 0, first = 0;
        for (int i = 4; i < 8; i++) {
            inGroup += (i - 3) / (i + 1.0) / 4;
            first += 1 / (i + 1.0) / 4;
        }
        GroupShare second = GroupShare.of(uniform, 0).get(1);
        assertEquals(inGroup, second.inGroup(), 1e-12);
        assertEquals(first, second.firstToken(), 1e-12);
        assertEquals(1, second.inGroup() + second.firstToken() + second.other(), 1e-12);
        // queries 2..7 see 3..8 context tokens: top two take 2 / (i + 1)
        double topTwo = 0;
        for (int i = 2; i < 8; i++) topTwo += 2 / (i + 1.0) / 6;
        assertEquals(topTwo, AnchorDominance.ofContext(uniform, 0).topTwoMass(), 1e-12);
        // memory token 0 (position 8) sees 9 keys: 4 per context group, 1 memory token
        MemoryShare memory = MemoryShare.of(uniform, 0).get(0);
        assertArrayEquals(new double[] {4 / 9.0, 4 / 9.0}, memory.groups(), 1e-12);
        assertEquals(1 / 9.0, memory.memory(), 1e-12);
    }
}
