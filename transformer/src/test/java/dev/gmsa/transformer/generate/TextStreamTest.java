package dev.gmsa.transformer.generate;

import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.gmsa.transformer.generate.TinyByteFallbackTokenizer.bytePieces;
import static dev.gmsa.transformer.generate.TinyByteFallbackTokenizer.word;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming text over a byte-fallback vocabulary: the printed pieces must add up to what decoding all the ids
 * gives (an incomplete trailing UTF-8 sequence included: flush prints it as U+FFFD, as decode does), text that
 * was printed is never taken back, stop strings are found across token boundaries, and the work is linear.
 */
class TextStreamTest {
    private static final Tokenizer TOKENIZER = TinyByteFallbackTokenizer.create();
    private static final String[] CHARS = {"é", "€", "😀", "漢", "ü", "a", " "};

    /** Streams ids one by one; records the pieces and checks the running text against decode after each id. */
    private static List<String> stream(Tokenizer tokenizer, int[] ids) {
        List<String> pieces = new ArrayList<>();
        TextStream stream = new TextStream(tokenizer, pieces::add);
        for (int n = 1; n <= ids.length; n++) {
            assertFalse(stream.append(ids[n - 1], List.of()));
            String expected = tokenizer.decode(Arrays.copyOf(ids, n));
            assertEquals(expected, stream.text(), "text after " + n + " ids of " + Arrays.toString(ids));
            assertTrue(expected.startsWith(String.join("", pieces)), "printed text must be final: " + pieces + " vs " + expected);
        }
        stream.flush();
        for (String piece : pieces) assertFalse(piece.isEmpty(), "empty piece");
        return pieces;
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Words, whole characters spelled in byte pieces, stray bytes and specials, from a list of random choices.
     * After 7 byte choices in a row (at most 28 byte pieces) comes a word, so no run of byte pieces reaches
     * {@link TextStream#MAX_WINDOW}: past that the stream commits early, the one documented difference from decode.
     */
    private static int[] mixedIds(List<Integer> choices) {
        List<Integer> ids = new ArrayList<>();
        int byteChoicesInARow = 0;
        for (int c : choices) {
            boolean bytes = c % 5 == 1 || c % 5 == 2 || c % 5 == 3;
            byteChoicesInARow = bytes ? byteChoicesInARow + 1 : 0;
            if (byteChoicesInARow == 8) { ids.add(word("▁")); byteChoicesInARow = 1; }
            switch (c % 5) {
                case 0 -> ids.add(TinyByteFallbackTokenizer.FIRST_WORD + (c / 5) % TinyByteFallbackTokenizer.WORDS.length);
                case 1, 2 -> { for (int id : bytePieces(CHARS[(c / 5) % CHARS.length])) ids.add(id); }
                case 3 -> ids.add(TinyByteFallbackTokenizer.FIRST_BYTE + (c / 5) % 256);
                default -> ids.add((c / 5) % 3);
            }
        }
        return toArray(ids);
    }

    @Property(tries = 300)
    void randomIdsStreamToExactlyTheirDecodedText(@ForAll @Size(max = 30) List<@IntRange(min = 0, max = 269) Integer> ids) {
        int[] array = toArray(ids);
        assertEquals(TOKENIZER.decode(array), String.join("", stream(TOKENIZER, array)));
    }

    @Property(tries = 300)
    void multiByteCharactersSplitOverBytePiecesStreamExactly(@ForAll @Size(max = 25) List<@IntRange(min = 0, max = 10_000) Integer> choices) {
        int[] ids = mixedIds(choices);
        assertEquals(TOKENIZER.decode(ids), String.join("", stream(TOKENIZER, ids)));
    }

    @Property(tries = 200)
    void aPlainByteTokenizerStreamsExactlyToo(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 256) Integer> ids) {
        Tokenizer bytes = new ByteTokenizer(List.of("<eos>"));
        int[] array = toArray(ids);
        assertEquals(bytes.decode(array), String.join("", stream(bytes, array)));
    }

    @Test
    void anIncompleteTrailingCharacterIsFlushedAsDecodeRendersIt() {
        int[] euro = bytePieces("€");
        int[] ids = {word("▁a"), euro[0], euro[1]}; // the € misses its last byte
        List<String> pieces = stream(TOKENIZER, ids);
        assertEquals("a\uFFFD\uFFFD", String.join("", pieces));
        assertEquals(TOKENIZER.decode(ids), String.join("", pieces));
    }

    @Property(tries = 300)
    void aStopStringCutsTheTextWhereverItFallsAmongTheTokens(@ForAll @Size(min = 1, max = 25) List<@IntRange(min = 0, max = 10_000) Integer> choices,
                                                            @ForAll @IntRange(min = 0, max = 1000) int from, @ForAll @IntRange(min = 1, max = 4) int length) {
        int[] ids = mixedIds(choices);
        String all = TOKENIZER.decode(ids);
        if (all.length() < length) return;
        int start = from % (all.length() - length + 1);
        String stop = all.substring(start, start + length);
        // the first prefix of the ids whose text contains the stop string, and that text cut before it
        int stopsAt = 1;
        while (!TOKENIZER.decode(Arrays.copyOf(ids, stopsAt)).contains(stop)) stopsAt++;
        String prefixText = TOKENIZER.decode(Arrays.copyOf(ids, stopsAt));
        String expected = prefixText.substring(0, prefixText.indexOf(stop));

        List<String> pieces = new ArrayList<>();
        TextStream stream = new TextStream(TOKENIZER, pieces::add);
        for (int n = 1; n <= stopsAt; n++) {
            boolean stopped = stream.append(ids[n - 1], List.of("never there \u0000", stop));
            assertEquals(n == stopsAt, stopped, "stop reported after " + n + " ids, expected after " + stopsAt);
            assertFalse(String.join("", pieces).contains(stop), "printed the stop string");
        }
        stream.flush();
        assertEquals(expected, stream.text());
        assertEquals(expected, String.join("", pieces));
    }

    @Test
    void aStopStringSplitAcrossTwoTokensIsCutAndNeverPrinted() {
        List<String> pieces = new ArrayList<>();
        TextStream stream = new TextStream(TOKENIZER, pieces::add);
        List<String> stops = List.of("upon");
        assertFalse(stream.append(word("▁Once"), stops));
        assertFalse(stream.append(word("▁up"), stops));
        assertEquals("Once ", String.join("", pieces), "\"up\" may begin \"upon\": held back");
        assertTrue(stream.append(word("on"), stops));
        stream.flush();
        assertEquals("Once ", stream.text());
        assertEquals("Once ", String.join("", pieces));
    }

    @Test
    void aHeldBackPrefixIsPrintedOnceItCannotBecomeTheStopString() {
        List<String> pieces = new ArrayList<>();
        TextStream stream = new TextStream(TOKENIZER, pieces::add);
        for (int id : new int[] {word("▁Once"), word("▁up"), word("▁a")}) assertFalse(stream.append(id, List.of("upon")));
        assertEquals("Once up a", String.join("", pieces));
    }

    @Test
    void aStopStringInsideAMultiByteCharacterSplitOverBytePieces() {
        List<String> pieces = new ArrayList<>();
        TextStream stream = new TextStream(TOKENIZER, pieces::add);
        int[] ids = concat(new int[] {word("▁a")}, bytePieces("é€"), new int[] {word("end")});
        int stoppedAt = -1;
        for (int i = 0; i < ids.length && stoppedAt < 0; i++) if (stream.append(ids[i], List.of("€e"))) stoppedAt = i;
        assertEquals(ids.length - 1, stoppedAt, "\"€e\" is complete only with the last token");
        stream.flush();
        assertEquals("aé", stream.text());
        assertEquals("aé", String.join("", pieces));
    }

    @Test
    void aLongRunOfBytePiecesStreamsBeforeItEnds() {
        String han = "漢字".repeat(20); // 40 three-byte characters: 120 byte pieces in one run
        int[] ids = concat(new int[] {word("▁a")}, bytePieces(han), new int[] {word("end")});
        List<String> pieces = new ArrayList<>();
        TextStream stream = new TextStream(TOKENIZER, pieces::add);
        for (int i = 0; i < ids.length - 1; i++) stream.append(ids[i], List.of());
        String printedBeforeTheRunEnds = String.join("", pieces);
        assertTrue(printedBeforeTheRunEnds.length() >= 30, "the window is bounded, so most of the run is printed: " + printedBeforeTheRunEnds.length());
        stream.append(ids[ids.length - 1], List.of());
        stream.flush();
        assertEquals("a" + han + "end", String.join("", pieces));
        assertEquals(TOKENIZER.decode(ids), stream.text());
    }

    @Test
    void aRunLongerThanTheWindowThatEndsInvalidKeepsWhatWasPrinted() {
        // documented limit: HF's ByteFallback renders the whole run as U+FFFD once one byte is invalid, but the
        // stream committed (and printed) the valid start of a run longer than MAX_WINDOW pieces
        int[] ids = concat(bytePieces("é".repeat(40)), new int[] {TinyByteFallbackTokenizer.FIRST_BYTE + 0xFF, word("end")});
        StringBuilder printed = new StringBuilder();
        TextStream stream = new TextStream(TOKENIZER, printed::append);
        for (int id : ids) stream.append(id, List.of());
        stream.flush();
        assertEquals("\uFFFD".repeat(81) + "end", TOKENIZER.decode(ids));
        assertTrue(printed.toString().startsWith("é".repeat(TextStream.MAX_WINDOW / 2)), printed.toString());
        assertTrue(printed.toString().endsWith("\uFFFDend"), printed.toString());
        assertEquals(printed.toString(), stream.text(), "what was printed and the text still agree");
    }

    @Test
    void streamingDecodesABoundedNumberOfIdsPerToken() {
        CountingTokenizer counting = new CountingTokenizer(TOKENIZER);
        SplittableRandom random = new SplittableRandom(5);
        List<Integer> choices = new ArrayList<>();
        for (int i = 0; i < 3000; i++) choices.add(random.nextInt(10_000));
        int[] ids = mixedIds(choices);
        StringBuilder printed = new StringBuilder();
        TextStream stream = new TextStream(counting, printed::append);
        for (int id : ids) stream.append(id, List.of("never there \u0000"));
        stream.flush();
        assertEquals(TOKENIZER.decode(ids), printed.toString());
        // re-decoding everything would pass ~n^2/2 ids to decode; a bounded window passes a few per token
        assertTrue(counting.decodedIds < 12L * ids.length, counting.decodedIds + " ids decoded for " + ids.length + " tokens");
    }

    @Test
    void withoutATokenizerOnlyIdsAreKept() {
        TextStream stream = new TextStream(null, s -> { throw new AssertionError("printed " + s); });
        assertFalse(stream.append(7, List.of("x")));
        stream.flush();
        assertEquals("", stream.text());
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    /** Counts how many ids pass through decode. */
    private static final class CountingTokenizer implements Tokenizer {
        private final Tokenizer inner;
        long decodedIds;

        CountingTokenizer(Tokenizer inner) {
            this.inner = inner;
        }

        @Override public int[] encode(String text) { return inner.encode(text); }
        @Override public String decode(int[] ids) { decodedIds += ids.length; return inner.decode(ids); }
        @Override public int vocabSize() { return inner.vocabSize(); }
        @Override public int tokenId(String token) { return inner.tokenId(token); }
        @Override public String token(int id) { return inner.token(id); }
    }
}
