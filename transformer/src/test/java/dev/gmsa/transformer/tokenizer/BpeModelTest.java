package dev.gmsa.transformer.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The BPE merge loop on hand-made vocabularies, where the right answer can be worked out on paper. */
class BpeModelTest {
    private static Map<String, Integer> vocab(String... tokens) {
        Map<String, Integer> v = new HashMap<>();
        for (String t : tokens) v.put(t, v.size());
        return v;
    }

    private static int[] encode(BpeModel model, String word) {
        IntArrayBuilder out = new IntArrayBuilder();
        model.encodeWord(word, out);
        return out.toArray();
    }

    @Test
    void lowestRankMergesFirstNotLeftmost() {
        // ranks: "b c" (0) before "a b" (1): "abc" -> a + bc, although "ab" is the leftmost pair
        BpeModel m = new BpeModel(vocab("a", "b", "c", "bc", "ab"), List.of(new String[] {"b", "c"}, new String[] {"a", "b"}), BpeModel.Options.BYTE_LEVEL);
        assertArrayEquals(new int[] {0, 3}, encode(m, "abc"));
    }

    @Test
    void equalRanksMergeLeftmostFirstAndMergedSymbolsMergeAgain() {
        // "aaaa": "a a" merges positions 0-1 then 2-3, then "aa aa" makes "aaaa"
        BpeModel m = new BpeModel(vocab("a", "aa", "aaaa"), List.of(new String[] {"a", "a"}, new String[] {"aa", "aa"}), BpeModel.Options.BYTE_LEVEL);
        assertArrayEquals(new int[] {2}, encode(m, "aaaa"));
        // odd length: leftmost pairs first -> aa, aa, a -> aaaa, a
        assertArrayEquals(new int[] {2, 0}, encode(m, "aaaaa"));
    }

    @Test
    void staleCandidatesAreSkipped() {
        // "abcd": "b c" (0) merges first; the queued "a b" (1) and "c d" (2) are stale and must not fire
        BpeModel m = new BpeModel(vocab("a", "b", "c", "d", "bc", "ab", "cd", "abc"),
                List.of(new String[] {"b", "c"}, new String[] {"a", "b"}, new String[] {"c", "d"}, new String[] {"a", "bc"}),
                BpeModel.Options.BYTE_LEVEL);
        assertArrayEquals(new int[] {7, 3}, encode(m, "abcd"));
    }

    @Test
    void ignoreMergesTakesAWholeWordFromTheVocabulary() {
        Map<String, Integer> v = vocab("a", "b", "ab", "ba", "aba");
        List<String[]> merges = List.<String[]>of(new String[] {"a", "b"});
        assertArrayEquals(new int[] {2, 0}, encode(new BpeModel(v, merges, BpeModel.Options.BYTE_LEVEL), "aba"));
        assertArrayEquals(new int[] {4}, encode(new BpeModel(v, merges, new BpeModel.Options(false, null, false, true)), "aba"));
    }

    @Test
    void byteFallbackSpellsUnknownCharsAsUtf8ByteTokensAndUnkIsFused() {
        Map<String, Integer> v = vocab("<unk>", "a", "<0xC3>", "<0xA9>");
        BpeModel fallback = new BpeModel(v, List.of(), new BpeModel.Options(true, "<unk>", true, false));
        assertArrayEquals(new int[] {1, 2, 3, 1}, encode(fallback, "a\u00e9a")); // é = C3 A9
        assertArrayEquals(new int[] {1, 0, 1}, encode(fallback, "a\u4e2d\u4e2da")); // 中 has no byte tokens: one fused unk
        BpeModel unfused = new BpeModel(v, List.of(), new BpeModel.Options(false, "<unk>", false, false));
        assertArrayEquals(new int[] {0, 0}, encode(unfused, "\u00e9\u00e9"));
    }

    @Test
    void mergesNamingUnknownTokensAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new BpeModel(vocab("a", "b"), List.<String[]>of(new String[] {"a", "b"}), BpeModel.Options.BYTE_LEVEL));
    }
}
