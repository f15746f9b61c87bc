package dev.gmsa.transformer.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A closed vocabulary of whole words (each with and without a leading space) plus one token per byte for
 * anything else, so any text encodes and decodes exactly. Small models learn far faster on word tokens
 * than on bytes; the embedded default uses it with the words of its generated stories.
 * Ids: 0..255 bytes, then the specials, then the words.
 */
public final class WordTokenizer implements Tokenizer {
    private final List<String> specials;
    private final List<String> pieces = new ArrayList<>(); // word pieces after the specials
    private final Map<String, Integer> ids = new HashMap<>();
    private final int longestPiece;

    public WordTokenizer(List<String> words, List<String> specialTokens) {
        this.specials = List.copyOf(specialTokens);
        int longest = 0;
        for (String w : words) {
            if (w.isEmpty() || w.contains(" ")) throw new IllegalArgumentException("word tokens must be non-empty and have no spaces: '" + w + "'");
            for (String piece : List.of(w, " " + w)) {
                if (ids.containsKey(piece)) continue;
                ids.put(piece, 256 + specials.size() + pieces.size());
                pieces.add(piece);
                longest = Math.max(longest, piece.length());
            }
        }
        this.longestPiece = longest;
    }

    public List<String> words() {
        List<String> out = new ArrayList<>();
        for (String p : pieces) if (!p.startsWith(" ")) out.add(p);
        return out;
    }

    public List<String> specials() {
        return specials;
    }

    /** Longest word piece first, at word boundaries; everything else byte by byte. */
    @Override
    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int matched = match(text, i);
            if (matched > 0) {
                out.add(ids.get(text.substring(i, i + matched)));
                i += matched;
                continue;
            }
            int cp = text.codePointAt(i);
            for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) out.add(b & 0xff);
            i += Character.charCount(cp);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Length of the longest vocabulary piece at i that ends at a word boundary, or 0. */
    private int match(String text, int i) {
        for (int len = Math.min(longestPiece, text.length() - i); len > 0; len--) {
            if (!ids.containsKey(text.substring(i, i + len))) continue;
            int end = i + len;
            if (end == text.length() || !Character.isLetterOrDigit(text.charAt(end))) return len;
        }
        return 0;
    }

    @Override
    public String decode(int[] tokenIds) {
        StringBuilder out = new StringBuilder();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int id : tokenIds) {
            if (id >= 0 && id < 256) { bytes.write(id); continue; }
            out.append(bytes.toString(StandardCharsets.UTF_8));
            bytes.reset();
            String piece = token(id);
            if (piece == null) throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + vocabSize());
            out.append(piece);
        }
        return out.append(bytes.toString(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public int vocabSize() {
        return 256 + specials.size() + pieces.size();
    }

    @Override
    public int tokenId(String token) {
        int s = specials.indexOf(token);
        if (s >= 0) return 256 + s;
        return ids.getOrDefault(token, -1);
    }

    @Override
    public String token(int id) {
        if (id >= 0 && id < 256) return String.valueOf((char) id);
        int s = id - 256;
        if (s < specials.size()) return s >= 0 ? specials.get(s) : null;
        int p = s - specials.size();
        return p < pieces.size() ? pieces.get(p) : null;
    }
}
