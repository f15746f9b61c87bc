package dev.gmsa.transformer.tokenizer;

/**
 * GPT-2's reversible byte-to-unicode map: every byte becomes one printable char, so byte strings can be
 * vocabulary strings. Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards
 * in byte order (space 0x20 becomes 'Ġ' U+0120).
 */
public final class ByteLevel {
    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {}

    public static char charOf(byte b) {
        return BYTE_TO_CHAR[b & 0xff];
    }

    /** The byte a byte-level char stands for, or -1 when the char is not in the map. */
    public static int byteOf(char c) {
        return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    /** The byte-level string of some UTF-8 bytes. */
    public static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) chars[i] = BYTE_TO_CHAR[bytes[i] & 0xff];
        return new String(chars);
    }
}
