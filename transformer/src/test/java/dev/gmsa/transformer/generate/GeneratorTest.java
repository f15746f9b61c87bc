package dev.gmsa.transformer.generate;

import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.gmsa.transformer.generate.TinyByteFallbackTokenizer.bytePieces;
import static dev.gmsa.transformer.generate.TinyByteFallbackTokenizer.word;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation end to end on a real (tiny) transformer that has been wired to follow a chosen chain of tokens,
 * "Once upon aé€ time." then EOS, where é and € come as byte pieces (multi-byte UTF-8 split over tokens).
 */
class GeneratorTest {
    private static final Tokenizer TOKENIZER = TinyByteFallbackTokenizer.create();
    private static final int BOS = 1, EOS = 2;
    /** The chain after BOS; each id occurs once, so each has one successor. */
    private static final int[] CHAIN = concat(new int[] {word("▁Once"), word("▁up"), word("on"), word("▁a")},
            bytePieces("é€"), new int[] {word("▁time"), word("."), EOS});
    private static final String CHAIN_TEXT = "Once upon aé€ time.";
    private static final Transformer CHAIN_MODEL = chainModel();

    private static Transformer chainModel() {
        int[][] successors = new int[TinyByteFallbackTokenizer.vocabSize()][0];
        int previous = BOS;
        for (int id : CHAIN) {
            successors[previous] = new int[] {id};
            previous = id;
        }
        return SuccessorModel.create(TinyByteFallbackTokenizer.vocabSize(), successors);
    }

    private record Streamed(Generator.Result result, List<String> pieces) {
        String printed() {
            return String.join("", pieces);
        }
    }

    private static Streamed generate(Transformer model, int[] prompt, int maxNewTokens, SamplingSettings sampling, Set<Integer> eos, List<String> stops) {
        List<String> pieces = new ArrayList<>();
        var request = new Generator.Request(maxNewTokens, sampling, eos, stops);
        Generator.Result result = new Generator(model, TOKENIZER).generate(prompt, request, pieces::add);
        return new Streamed(result, pieces);
    }

    private static Streamed greedy(int maxNewTokens, Set<Integer> eos, List<String> stops) {
        return generate(CHAIN_MODEL, new int[] {BOS}, maxNewTokens, SamplingSettings.greedyDecoding(), eos, stops);
    }

    @Test
    void stopsAtEosWithoutEmittingIt() {
        Streamed s = greedy(50, Set.of(EOS), List.of());
        assertEquals("eos", s.result().stopReason());
        assertArrayEquals(Arrays.copyOf(CHAIN, CHAIN.length - 1), s.result().ids());
        assertEquals(CHAIN_TEXT, s.result().text());
        assertEquals(CHAIN_TEXT, s.printed(), "streamed pieces add up to the text");
        assertEquals(1, s.result().promptTokens());
        assertTrue(s.pieces().size() > 1, "text is streamed, not printed once at the end: " + s.pieces());
    }

    @Test
    void eosAsTheFirstTokenGivesNothing() {
        Streamed s = generate(CHAIN_MODEL, new int[] {BOS, word("▁time"), word(".")}, 10, SamplingSettings.greedyDecoding(), Set.of(EOS), List.of());
        assertEquals("eos", s.result().stopReason());
        assertEquals(0, s.result().ids().length);
        assertEquals("", s.result().text());
        assertEquals(List.of(), s.pieces());
    }

    @Test
    void stopsAtTheTokenLimit() {
        Streamed s = greedy(4, Set.of(EOS), List.of());
        assertEquals("length", s.result().stopReason());
        assertArrayEquals(Arrays.copyOf(CHAIN, 4), s.result().ids());
        assertEquals("Once upon a", s.result().text());
        assertEquals("Once upon a", s.printed());
        // without an EOS id the chain runs on into </s> and beyond, up to the limit
        Streamed noEos = greedy(CHAIN.length + 3, Set.of(), List.of());
        assertEquals("length", noEos.result().stopReason());
        assertEquals(CHAIN.length + 3, noEos.result().ids().length);
    }

    @Test
    void aTokenLimitInsideAMultiByteCharacterEndsWithWhatDecodeGives() {
        Streamed s = greedy(7, Set.of(EOS), List.of()); // ..., C3 A9 E2: the € misses two bytes
        assertEquals("length", s.result().stopReason());
        assertEquals(TOKENIZER.decode(Arrays.copyOf(CHAIN, 7)), s.result().text());
        // HF's ByteFallback: the run C3 A9 E2 is not valid UTF-8 as a whole, so each of its bytes is U+FFFD
        assertEquals("Once upon a\uFFFD\uFFFD\uFFFD", s.result().text());
        assertEquals(s.result().text(), s.printed());
    }

    @Test
    void aStopStringAcrossTwoTokensCutsTheTextBeforeIt() {
        Streamed s = greedy(50, Set.of(EOS), List.of("upon")); // "▁up" + "on"
        assertEquals("stop", s.result().stopReason());
        assertArrayEquals(Arrays.copyOf(CHAIN, 3), s.result().ids(), "generation ends with the token that completes the stop string");
        assertEquals("Once ", s.result().text());
        assertEquals("Once ", s.printed());
    }

    @Test
    void aStopStringAcrossBytePiecesAndAWord() {
        Streamed s = greedy(50, Set.of(EOS), List.of("xyz", "€ ti")); // E2 82 AC, then "▁time"
        assertEquals("stop", s.result().stopReason());
        assertEquals(CHAIN.length - 2, s.result().ids().length);
        assertEquals("Once upon aé", s.result().text());
        assertEquals("Once upon aé", s.printed());
    }

    /** Each of four words may be followed by two others, with equal logits: sampling chooses, greedy takes the lower id. */
    private static final int[] BRANCH_WORDS = {word("▁Once"), word("▁up"), word("▁a"), word("▁time")};
    private static final Transformer BRANCH_MODEL = branchModel();

    private static Transformer branchModel() {
        int[][] successors = new int[TinyByteFallbackTokenizer.vocabSize()][0];
        successors[BOS] = new int[] {BRANCH_WORDS[0], BRANCH_WORDS[1]};
        for (int i = 0; i < 4; i++) successors[BRANCH_WORDS[i]] = new int[] {BRANCH_WORDS[(i + 1) % 4], BRANCH_WORDS[(i + 2) % 4]};
        return SuccessorModel.create(TinyByteFallbackTokenizer.vocabSize(), successors);
    }

    private static int[] sample(long seed, int topK, float topP) {
        var sampling = new SamplingSettings(false, 1f, topK, topP, seed);
        Streamed s = generate(BRANCH_MODEL, new int[] {BOS}, 24, sampling, Set.of(EOS), List.of());
        assertEquals(TOKENIZER.decode(s.result().ids()), s.printed());
        return s.result().ids();
    }

    @Test
    void samplingIsRepeatableBySeedAndFollowsTheAllowedTokens() {
        int[] first = sample(11, 0, 1f);
        assertArrayEquals(first, sample(11, 0, 1f), "same seed, same ids");
        Set<String> runs = new HashSet<>();
        for (long seed = 0; seed < 4; seed++) runs.add(Arrays.toString(sample(seed, 0, 1f)));
        assertEquals(4, runs.size(), "four seeds, four different 24-token runs: " + runs);
        // every sampled token is one of the two its predecessor allows
        int previous = BOS;
        for (int id : first) {
            int p = previous;
            boolean allowed = p == BOS ? id == BRANCH_WORDS[0] || id == BRANCH_WORDS[1]
                    : Arrays.stream(branchSuccessors(p)).anyMatch(s -> s == id);
            assertTrue(allowed, id + " may not follow " + p);
            previous = id;
        }
    }

    private static int[] branchSuccessors(int word) {
        for (int i = 0; i < 4; i++) if (BRANCH_WORDS[i] == word) return new int[] {BRANCH_WORDS[(i + 1) % 4], BRANCH_WORDS[(i + 2) % 4]};
        return new int[0];
    }

    @Test
    void topK1AndASmallTopPSampleLikeGreedy() {
        int[] greedy = generate(BRANCH_MODEL, new int[] {BOS}, 24, SamplingSettings.greedyDecoding(), Set.of(EOS), List.of()).result().ids();
        for (long seed = 0; seed < 3; seed++) {
            assertArrayEquals(greedy, sample(seed, 1, 1f), "top-k 1, seed " + seed);
            // the two tied best tokens hold ~1/2 each: p = 0.3 keeps one of them, the lower id (stable order)
            assertArrayEquals(greedy, sample(seed, 0, 0.3f), "top-p 0.3, seed " + seed);
        }
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void anEmptyStopStringAndANegativeLimitAreRefused() {
        var sampling = SamplingSettings.greedyDecoding();
        var empty = assertThrows(IllegalArgumentException.class, () -> new Generator.Request(4, sampling, Set.of(), List.of("x", "")));
        assertTrue(empty.getMessage().contains("stop string is empty"), empty.getMessage());
        var negative = assertThrows(IllegalArgumentException.class, () -> new Generator.Request(-1, sampling, Set.of(), List.of()));
        assertTrue(negative.getMessage().contains("max new tokens"), negative.getMessage());
    }
}
