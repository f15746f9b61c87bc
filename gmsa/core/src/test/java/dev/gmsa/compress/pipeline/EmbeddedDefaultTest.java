package dev.gmsa.compress.pipeline;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedDefaultTest {
    /** A copy task is "text (instruction text)+ EOS..." of exactly the asked length: every restatement equals the text. */
    @Property(tries = 200)
    void copyTasksRestateTheirTextUntilTheSequenceIsFull(@ForAll long seed, @ForAll @IntRange(min = 24, max = 120) int length) {
        var t = EmbeddedDefault.tokenizer();
        int eos = t.tokenId(EmbeddedDefault.EOS);
        int[] ins = t.encode(EmbeddedDefault.INSTRUCTION);
        int[] seq = EmbeddedDefault.pretrainingSequence(new SplittableRandom(seed), length, 1.0);
        assertEquals(length, seq.length);
        int first = indexOf(seq, ins, 0);
        assertTrue(first >= 4, "the text comes first, then the instruction: " + Arrays.toString(seq));
        int[] text = Arrays.copyOf(seq, first);
        int at = first, restatements = 0;
        while (at < length && seq[at] != eos) {
            assertArrayEquals(ins, Arrays.copyOfRange(seq, at, at + ins.length));
            assertArrayEquals(text, Arrays.copyOfRange(seq, at + ins.length, at + ins.length + text.length));
            at += ins.length + text.length;
            restatements++;
        }
        assertTrue(restatements >= 1);
        assertTrue(at + ins.length + text.length + 1 > length, "another restatement would have fit: " + Arrays.toString(seq));
        for (int i = at; i < length; i++) assertEquals(eos, seq[i], "EOS after the last restatement");
    }

    /** QA text (names, things, places, "Question:", "Answer:") is whole words, never bytes: the decoder can read and answer it. */
    @Property(tries = 50)
    void qaExamplesAreWordTokens(@ForAll long seed) {
        var t = EmbeddedDefault.tokenizer();
        var qa = dev.gmsa.compress.data.SyntheticMultiDocQa.generateQa(seed, 1, dev.gmsa.compress.data.SyntheticMultiDocQa.Settings.defaults()).get(0);
        String text = EmbeddedDefault.qaText(qa);
        int[] ids = t.encode(text);
        assertEquals(text, t.decode(ids));
        for (int id : ids) assertTrue(id >= 256, "byte token " + id + " in " + text);
    }

    private static int indexOf(int[] haystack, int[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++)
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        return -1;
    }
}
