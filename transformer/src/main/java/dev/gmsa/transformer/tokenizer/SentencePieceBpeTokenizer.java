package dev.gmsa.transformer.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * SentencePiece-style BPE as LLaMA-2 ships it in tokenizer.json: spaces become "▁" and a "▁" is prepended, the
 * whole normalised text is one BPE word, chars outside the vocabulary fall back to {@code <0xNN>} byte tokens.
 * Decoding reverses this: "▁" to space, byte tokens to UTF-8, then one leading space is stripped.
 * So {@code decode(encode(s)) == s} for text without "▁" and without added-token strings in it.
 */
public final class SentencePieceBpeTokenizer extends BpeVocabulary {
    public static final String SPACE = "\u2581";

    /** Where the "▁" is prepended: every text segment (HF Prepend normalizer) or only the text's start (Metaspace "first"). */
    public enum PrependScheme { ALWAYS, FIRST, NEVER }

    private final PrependScheme prependScheme;

    public SentencePieceBpeTokenizer(BpeModel model, List<AddedToken> addedTokens, PrependScheme prependScheme) {
        super(model, new AddedTokens(addedTokens));
        this.prependScheme = prependScheme;
    }

    @Override
    public int[] encode(String text) {
        IntArrayBuilder out = new IntArrayBuilder();
        for (TextSegment segment : addedTokens.split(text)) {
            if (segment.isToken()) { out.add(segment.addedTokenId()); continue; }
            model.encodeWord(normalize(segment), out);
        }
        return out.toArray();
    }

    private String normalize(TextSegment segment) {
        boolean prepend = prependScheme == PrependScheme.ALWAYS || (prependScheme == PrependScheme.FIRST && segment.atStart());
        String replaced = segment.text().replace(" ", SPACE);
        return prepend ? SPACE + replaced : replaced;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        ByteArrayOutputStream pendingBytes = new ByteArrayOutputStream();
        for (int id : ids) {
            String token = token(id);
            if (token == null) throw new IllegalArgumentException("decode: id " + id + " is not in the vocabulary (size " + vocabSize() + ")");
            int b = byteTokenValue(token);
            if (b >= 0) { pendingBytes.write(b); continue; }
            flushBytes(pendingBytes, text);
            text.append(token.replace(SPACE, " "));
        }
        flushBytes(pendingBytes, text);
        return text.length() > 0 && text.charAt(0) == ' ' ? text.substring(1) : text.toString();
    }

    /** A run of byte tokens that is not valid UTF-8 becomes one U+FFFD per byte (HF's ByteFallback decoder). */
    private static void flushBytes(ByteArrayOutputStream pending, StringBuilder text) {
        if (pending.size() == 0) return;
        byte[] bytes = pending.toByteArray();
        pending.reset();
        var decoder = StandardCharsets.UTF_8.newDecoder();
        try {
            text.append(decoder.decode(java.nio.ByteBuffer.wrap(bytes)));
        } catch (java.nio.charset.CharacterCodingException e) {
            text.append("\uFFFD".repeat(bytes.length));
        }
    }

    /** The byte of a {@code <0xNN>} token, or -1. */
    private static int byteTokenValue(String token) {
        if (token.length() != 6 || !token.startsWith("<0x") || token.charAt(5) != '>') return -1;
        int hi = hexDigit(token.charAt(3)), lo = hexDigit(token.charAt(4));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
