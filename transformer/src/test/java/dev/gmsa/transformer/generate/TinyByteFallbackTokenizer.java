package dev.gmsa.transformer.generate;

import dev.gmsa.transformer.tokenizer.AddedToken;
import dev.gmsa.transformer.tokenizer.BpeModel;
import dev.gmsa.transformer.tokenizer.SentencePieceBpeTokenizer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece-style vocabulary with byte fallback, small enough to reason about: ids 0..2 are
 * {@code <unk> <s> </s>}, ids 3..258 the byte pieces {@code <0x00>..<0xFF>}, then a few words.
 * Characters outside the words (é, €, 😀 ...) can only be written with byte pieces, one UTF-8 byte each.
 */
final class TinyByteFallbackTokenizer {
    static final String[] WORDS = {"▁", "▁Once", "▁up", "on", "▁a", "▁time", "▁the", "end", ".", "ü", "日本"};
    static final int FIRST_BYTE = 3, FIRST_WORD = 259;

    private TinyByteFallbackTokenizer() {}

    static SentencePieceBpeTokenizer create() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String special : List.of("<unk>", "<s>", "</s>")) vocab.put(special, vocab.size());
        for (int b = 0; b < 256; b++) vocab.put(String.format("<0x%02X>", b), vocab.size());
        for (String word : WORDS) vocab.put(word, vocab.size());
        BpeModel model = new BpeModel(vocab, List.of(), new BpeModel.Options(true, "<unk>", true, true));
        List<AddedToken> added = List.of(new AddedToken(1, "<s>", true, false, false), new AddedToken(2, "</s>", true, false, false));
        return new SentencePieceBpeTokenizer(model, added, SentencePieceBpeTokenizer.PrependScheme.FIRST);
    }

    /** The id of a word of {@link #WORDS}. */
    static int word(String word) {
        for (int i = 0; i < WORDS.length; i++) if (WORDS[i].equals(word)) return FIRST_WORD + i;
        throw new IllegalArgumentException("not a word of the tiny vocabulary: " + word);
    }

    /** The byte pieces spelling this text in UTF-8. */
    static int[] bytePieces(String text) {
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) ids[i] = FIRST_BYTE + (bytes[i] & 0xff);
        return ids;
    }

    static int vocabSize() {
        return FIRST_WORD + WORDS.length;
    }
}
