package dev.gmsa.transformer.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ByteLevelTest {
    @Test
    void everyByteHasItsOwnPrintableCharAndMapsBack() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = ByteLevel.charOf((byte) b);
            seen.add(c);
            assertEquals(b, ByteLevel.byteOf(c));
        }
        assertEquals(256, seen.size());
    }

    @Test
    void gpt2LandmarksSpaceNewlineAndPrintableAscii() {
        assertEquals('\u0120', ByteLevel.charOf((byte) ' ')); // 'Ġ'
        assertEquals('\u010a', ByteLevel.charOf((byte) '\n')); // 'Ċ'
        assertEquals('\u0100', ByteLevel.charOf((byte) 0));
        assertEquals('A', ByteLevel.charOf((byte) 'A'));
        assertEquals('\u00e9', ByteLevel.charOf((byte) 0xe9));
        assertEquals(-1, ByteLevel.byteOf(' '));
    }
}
