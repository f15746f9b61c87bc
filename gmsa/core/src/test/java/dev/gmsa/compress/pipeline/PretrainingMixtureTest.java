package dev.gmsa.compress.pipeline;

import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default decoder's pre-training segments, read back as text. */
class PretrainingMixtureTest {
    private static final ByteTokenizer BYTES = new ByteTokenizer(List.of("<s>", "</s>"));
    private static final int EOS = BYTES.tokenId("</s>");
    private static final List<String> DOCS = List.of(
            "The house stood on a hill. It was old and grey. Nobody had lived there for years. The garden was wild and deep.",
            "Ships sailed past the harbour. The sea was calm that morning. Gulls cried above the masts. A bell rang twice.");

    private static PretrainingMixture mixture(double text, double copy, double qa) {
        return new PretrainingMixture(BYTES, DOCS, "Restate the aforementioned Text.", EOS, new PretrainingMixture.Shares(text, copy, qa), 60, 3);
    }

    @Test
    void sequencesHaveExactlyTheAskedLength() {
        PretrainingMixture m = mixture(1, 1, 1);
        SplittableRandom rng = new SplittableRandom(1);
        for (int len : new int[] {1, 17, 300, 1000}) assertEquals(len, m.sequence(rng, len).length);
    }

    @Test
    void aCopySegmentRestatesItsTextAsOftenAsTheRoomHolds() {
        PretrainingMixture m = mixture(0, 1, 0);
        SplittableRandom rng = new SplittableRandom(2);
        String instruction = " Restate the aforementioned Text. ";
        for (int i = 0; i < 20; i++) {
            int room = 60 + rng.nextInt(300);
            int[] seg = m.copyTask(rng, room);
            assertEquals(EOS, seg[seg.length - 1]);
            String[] parts = BYTES.decode(Arrays.copyOf(seg, seg.length - 1)).split(instruction, -1);
            assertTrue(parts.length >= 2, "restated at least once");
            for (String p : parts) assertEquals(parts[0], p, "every restatement is the text");
            assertTrue(seg.length <= room, seg.length + " tokens for a room of " + room);
            assertTrue(seg.length + parts[0].length() + instruction.length() > room, "no room left for another restatement");
        }
    }

    @Test
    void aQaSegmentEndsWithTheAnswerOfItsQuestion() {
        PretrainingMixture m = mixture(0, 0, 1);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            int[] seg = m.qaExample(rng);
            assertEquals(EOS, seg[seg.length - 1]);
            String s = BYTES.decode(Arrays.copyOf(seg, seg.length - 1));
            int q = s.indexOf(" Question: "), a = s.indexOf(" Answer: ");
            assertTrue(q > 0 && a > q, s);
            String answer = s.substring(a + " Answer: ".length());
            assertTrue(s.substring(0, q).contains(answer), "the answer is in the documents: " + s);
        }
    }

    @Test
    void textSegmentsComeFromTheDocumentStream() {
        PretrainingMixture m = mixture(1, 0, 0);
        int[] seq = m.sequence(new SplittableRandom(4), 40);
        String s = BYTES.decode(seq).replace("</s>", "\n");
        assertTrue((String.join("\n", DOCS) + "\n").contains(s), s);
        assertArrayEquals(PretrainingMixture.tokenStream(BYTES, DOCS, EOS), PretrainingMixture.tokenStream(BYTES, DOCS, EOS));
    }

    @Test
    void sharesMustBeUsable() {
        assertThrows(IllegalArgumentException.class, () -> new PretrainingMixture.Shares(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PretrainingMixture.Shares(-1, 1, 1));
    }

    @Test
    void aScrambledCopyRestatesStreamTokensWithoutEos() {
        PretrainingMixture m = new PretrainingMixture(BYTES, DOCS, "Restate the aforementioned Text.", EOS,
                new PretrainingMixture.Shares(0, 0, 0, 1), 60, 3);
        int[] instruction = BYTES.encode(" Restate the aforementioned Text. ");
        java.util.Set<Integer> streamIds = new java.util.HashSet<>();
        for (int id : PretrainingMixture.tokenStream(BYTES, DOCS, EOS)) streamIds.add(id);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < 20; i++) {
            int[] seg = m.scrambledCopyTask(rng, 200);
            int n = 0;
            while (!Arrays.equals(instruction, Arrays.copyOfRange(seg, n, n + instruction.length))) n++;
            assertTrue(n >= 8 && n <= PretrainingMixture.MAX_SCRAMBLED_COPY_TOKENS, n + " tokens");
            int[] text = Arrays.copyOf(seg, n);
            assertEquals(0, (seg.length - 1 - n) % (n + instruction.length), "whole restatements");
            for (int at = n; at < seg.length - 1; at += n + instruction.length) {
                assertArrayEquals(instruction, Arrays.copyOfRange(seg, at, at + instruction.length));
                assertArrayEquals(text, Arrays.copyOfRange(seg, at + instruction.length, at + instruction.length + n));
            }
            assertEquals(EOS, seg[seg.length - 1]);
            assertTrue(seg.length <= 200);
            for (int id : text) assertTrue(id != EOS && streamIds.contains(id), "token " + id);
        }
        assertTrue(Arrays.stream(m.sequence(new SplittableRandom(6), 500)).anyMatch(id -> id == EOS), "segments are packed");
    }

    @Test
    void aDrillAsksEveryDocumentsQuestionAfterOneContext() {
        PretrainingMixture m = new PretrainingMixture(BYTES, DOCS, "Restate the aforementioned Text.", EOS,
                new PretrainingMixture.Shares(0, 0, 1), 60, new PretrainingMixture.QaSegments(2, 4, 20, 100, true));
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 10; i++) {
            String s = BYTES.decode(m.qaDrill(rng));
            String[] asks = s.split("</s>");
            int firstQuestion = s.indexOf(" Question: ");
            String context = s.substring(0, firstQuestion);
            assertTrue(asks.length >= 2 && asks.length <= 4, asks.length + " questions: " + s);
            assertTrue(s.endsWith("</s>"), s);
            for (String ask : asks) {
                int a = ask.indexOf(" Answer: ");
                assertTrue(ask.contains(" Question: ") && a > 0, ask);
                assertTrue(context.contains(ask.substring(a + " Answer: ".length())), "answered in the context: " + s);
            }
        }
        // a drill (hundreds of bytes) never fits 40 bytes: it gives way to text rather than being cut
        String text = BYTES.decode(m.sequence(new SplittableRandom(8), 40));
        assertFalse(text.contains("Question"), text);
        assertTrue((String.join("</s>", DOCS) + "</s>").repeat(2).contains(text), text);
    }

    @Test
    void qaSegmentBoundsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new PretrainingMixture.QaSegments(0, 3, 10, 20, true));
        assertThrows(IllegalArgumentException.class, () -> new PretrainingMixture.QaSegments(3, 2, 10, 20, true));
        assertThrows(IllegalArgumentException.class, () -> new PretrainingMixture.QaSegments(2, 3, 30, 20, true));
        assertThrows(IllegalArgumentException.class, () -> new PretrainingMixture.Shares(0, 0, 0, -1));
    }
}
