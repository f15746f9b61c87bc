package dev.gmsa.transformer.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Byte-level BPE as in GPT-2, LLaMA-3 and Qwen2/3: split added tokens out, optionally NFC-normalise, split the
 * text with the pre-tokenizer regex, map each piece's UTF-8 bytes to byte-level chars and run BPE on it.
 * Decoding maps the chars of each token back to bytes and reads them as UTF-8 (invalid sequences become U+FFFD).
 */
public final class ByteLevelBpeTokenizer extends BpeVocabulary {
    private static final int CACHE_LIMIT = 200_000;

    private final SplitPattern split;
    private final boolean nfc;
    /** Piece of text to its ids: natural text repeats a small set of words. */
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    public ByteLevelBpeTokenizer(BpeModel model, List<AddedToken> addedTokens, SplitPattern split, boolean nfc) {
        super(model, new AddedTokens(addedTokens));
        this.split = split;
        this.nfc = nfc;
    }

    @Override
    public int[] encode(String text) {
        IntArrayBuilder out = new IntArrayBuilder();
        for (TextSegment segment : addedTokens.split(text)) {
            if (segment.isToken()) { out.add(segment.addedTokenId()); continue; }
            String normalized = nfc ? Normalizer.normalize(segment.text(), Normalizer.Form.NFC) : segment.text();
            split.split(normalized, piece -> out.addAll(encodePiece(piece)));
        }
        return out.toArray();
    }

    private int[] encodePiece(String piece) {
        int[] cached = cache.get(piece);
        if (cached != null) return cached;
        IntArrayBuilder ids = new IntArrayBuilder();
        model.encodeWord(ByteLevel.encode(piece.getBytes(StandardCharsets.UTF_8)), ids);
        int[] result = ids.toArray();
        if (cache.size() >= CACHE_LIMIT) cache.clear();
        cache.put(piece, result);
        return result;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int id : ids) {
            String token = token(id);
            if (token == null) throw new IllegalArgumentException("decode: id " + id + " is not in the vocabulary (size " + vocabSize() + ")");
            appendTokenBytes(token, bytes);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A token whose chars are not all byte-level chars (an added token like "<|im end|>") is taken as UTF-8 text. */
    private static void appendTokenBytes(String token, ByteArrayOutputStream bytes) {
        for (int i = 0; i < token.length(); i++) {
            if (ByteLevel.byteOf(token.charAt(i)) < 0) {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        for (int i = 0; i < token.length(); i++) bytes.write(ByteLevel.byteOf(token.charAt(i)));
    }
}
