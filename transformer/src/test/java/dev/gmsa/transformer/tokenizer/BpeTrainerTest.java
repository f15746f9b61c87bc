package dev.gmsa.transformer.tokenizer;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BPE training on texts whose merges can be worked out on paper, and the trained tokenizer's round trip. */
class BpeTrainerTest {
    private static final String TEXT = "The cat sat on the mat. The cat ate the rat! Then the cat sat again, and again.\n"
            + "Ünïcödé wörds, émojis 🙂 and digits 12345 live here too.";

    private static ByteLevelBpeTokenizer tokenizer(BpeTrainer.Result r) {
        BpeModel model = new BpeModel(r.vocab(), r.merges(), BpeModel.Options.BYTE_LEVEL);
        List<AddedToken> specials = new java.util.ArrayList<>();
        for (String s : r.specialTokens()) specials.add(new AddedToken(r.vocab().get(s), s, true, false, false));
        return new ByteLevelBpeTokenizer(model, specials, new SplitPattern(r.splitRegex()), false);
    }

    @Test
    void mergesTheMostFrequentPairFirstAndMergedSymbolsAgain() {
        // pieces "aaab", " aaab", " ab": (a,a) occurs 4 times, then (a,b) 3 times, then (aa,ab) twice
        BpeTrainer t = new BpeTrainer();
        t.add("aaab aaab ab");
        BpeTrainer.Result r = t.train(2 + 256 + 3, List.of("<s>", "</s>"), 2);
        assertEquals(3, r.merges().size());
        assertArrayEquals(new String[] {"a", "a"}, r.merges().get(0));
        assertArrayEquals(new String[] {"a", "b"}, r.merges().get(1));
        assertArrayEquals(new String[] {"aa", "ab"}, r.merges().get(2));
        assertEquals(0, r.vocab().get("<s>"));
        assertEquals(1, r.vocab().get("</s>"));
        assertEquals(2 + 'a', r.vocab().get("a"), "byte symbols follow the specials in byte order");
        assertEquals(2 + 256 + 2, r.vocab().get("aaab"));
        assertArrayEquals(new int[] {r.vocab().get("aaab")}, tokenizer(r).encode("aaab"));
    }

    @Test
    void stopsWhenNoPairIsFrequentEnoughOrTheVocabularyIsFull() {
        BpeTrainer t = new BpeTrainer();
        t.add("aaab aaab ab");
        assertEquals(1, t.train(2 + 256 + 5, List.of("<s>", "</s>"), 4).merges().size(), "only (a,a) occurs 4 times");
        assertEquals(2, t.train(2 + 256 + 2, List.of("<s>", "</s>"), 1).vocab().size() - 258);
    }

    @Test
    void vocabularySizeMustHoldTheSpecialsAndTheBytes() {
        BpeTrainer t = new BpeTrainer();
        t.add("text");
        var e = assertThrows(IllegalArgumentException.class, () -> t.train(200, List.of("<s>"), 2));
        assertTrue(e.getMessage().contains("256"), e.getMessage());
    }

    @Test
    void trainingIsDeterministic() {
        BpeTrainer a = new BpeTrainer(), b = new BpeTrainer();
        for (int i = 0; i < 3; i++) { a.add(TEXT); b.add(TEXT); }
        var ra = a.train(400, List.of("<s>"), 2);
        var rb = b.train(400, List.of("<s>"), 2);
        assertEquals(ra.vocab(), rb.vocab());
        assertEquals(ra.merges().size(), rb.merges().size());
        for (int i = 0; i < ra.merges().size(); i++) assertArrayEquals(ra.merges().get(i), rb.merges().get(i));
    }

    @Test
    void trainedTokensAreShorterThanBytesOnTheTrainingText() {
        BpeTrainer t = new BpeTrainer();
        t.add(TEXT);
        var tok = tokenizer(t.train(400, List.of("<s>"), 2));
        int[] ids = tok.encode(TEXT);
        assertTrue(ids.length < TEXT.getBytes(java.nio.charset.StandardCharsets.UTF_8).length * 3 / 4, ids.length + " tokens");
        assertEquals(TEXT, tok.decode(ids));
    }

    private static final ByteLevelBpeTokenizer TRAINED;
    static {
        BpeTrainer t = new BpeTrainer();
        t.add(TEXT);
        TRAINED = tokenizer(t.train(400, List.of("<s>"), 2));
    }

    @Property(tries = 300)
    void anyTextRoundTrips(@ForAll @StringLength(max = 60) String text) {
        // lone surrogates are not text UTF-8 can carry
        String valid = new String(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(valid, TRAINED.decode(TRAINED.encode(valid)));
    }
}
