package dev.gmsa.transformer.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * One token per UTF-8 byte (ids 0..255), plus named special tokens from id 256 on. The embedded default
 * model uses it: it needs no vocabulary file and can spell any text.
 */
public final class ByteTokenizer implements Tokenizer {
    private final List<String> specials;

    public ByteTokenizer(List<String> specialTokens) {
        this.specials = List.copyOf(specialTokens);
    }

    @Override
    public int[] encode(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ids[i] = bytes[i] & 0xff;
        return ids;
    }

    /** Bytes become text (invalid UTF-8 turns into U+FFFD); special tokens become their names. */
    @Override
    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        byte[] run = new byte[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id >= 0 && id < 256) { run[n++] = (byte) id; continue; }
            out.append(new String(run, 0, n, StandardCharsets.UTF_8));
            n = 0;
            String special = token(id);
            if (special == null) throw new IllegalArgumentException("token id " + id + " outside the byte vocabulary of " + vocabSize());
            out.append(special);
        }
        return out.append(new String(Arrays.copyOf(run, n), StandardCharsets.UTF_8)).toString();
    }

    @Override
    public int vocabSize() {
        return 256 + specials.size();
    }

    @Override
    public int tokenId(String token) {
        int i = specials.indexOf(token);
        return i >= 0 ? 256 + i : -1;
    }

    @Override
    public String token(int id) {
        if (id >= 0 && id < 256) return String.valueOf((char) id);
        int i = id - 256;
        return i >= 0 && i < specials.size() ? specials.get(i) : null;
    }
}
