package dev.gmsa.transformer.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BPE model of Hugging Face {@code tokenizers}: a word starts as one symbol per char, then the adjacent
 * pair with the lowest merge rank is merged (leftmost first on ties) until no pair merges.
 * A min-heap of candidate merges over a linked list of symbols keeps this O(n log n) per word.
 */
public final class BpeModel {
    /** How the model treats chars outside the vocabulary and whole-word hits. */
    public record Options(boolean byteFallback, String unkToken, boolean fuseUnk, boolean ignoreMerges) {
        public static final Options BYTE_LEVEL = new Options(false, null, false, false);
    }

    private final String[] idToToken;
    private final Map<String, Integer> tokenToId;
    private final MergeTable merges;
    private final Options options;
    private final int unkId;
    /** Ids of the byte-fallback tokens {@code <0x00>..<0xFF>}, -1 where missing. */
    private final int[] byteTokenIds = new int[256];

    /**
     * @param vocab  token string to id
     * @param merges pairs (left, right) in rank order; left + right must be in the vocabulary
     */
    public BpeModel(Map<String, Integer> vocab, List<String[]> merges, Options options) {
        this.tokenToId = new HashMap<>(vocab);
        this.options = options;
        int maxId = vocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        this.idToToken = new String[maxId + 1];
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            if (e.getValue() < 0) throw new IllegalArgumentException("token '" + e.getKey() + "' has negative id " + e.getValue());
            if (idToToken[e.getValue()] != null)
                throw new IllegalArgumentException("id " + e.getValue() + " is used by both '" + idToToken[e.getValue()] + "' and '" + e.getKey() + "'");
            idToToken[e.getValue()] = e.getKey();
        }
        this.merges = new MergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            String[] pair = merges.get(rank);
            this.merges.put(requireId(pair[0], rank), requireId(pair[1], rank), rank, requireId(pair[0] + pair[1], rank));
        }
        this.unkId = options.unkToken() == null ? -1 : tokenToId.getOrDefault(options.unkToken(), -1);
        if (options.unkToken() != null && unkId < 0)
            throw new IllegalArgumentException("unk token '" + options.unkToken() + "' is not in the vocabulary");
        for (int b = 0; b < 256; b++) byteTokenIds[b] = tokenToId.getOrDefault(String.format("<0x%02X>", b), -1);
    }

    private int requireId(String token, int rank) {
        Integer id = tokenToId.get(token);
        if (id == null) throw new IllegalArgumentException("merge " + rank + " refers to '" + token + "', which is not in the vocabulary");
        return id;
    }

    public int idOf(String token) {
        return tokenToId.getOrDefault(token, -1);
    }

    public String tokenOf(int id) {
        return id >= 0 && id < idToToken.length ? idToToken[id] : null;
    }

    public int size() {
        return idToToken.length;
    }

    /** Appends the ids of one pre-tokenized word. */
    void encodeWord(String word, IntArrayBuilder out) {
        if (word.isEmpty()) return;
        if (options.ignoreMerges()) {
            Integer whole = tokenToId.get(word);
            if (whole != null) { out.add(whole); return; }
        }
        int[] symbols = initialSymbols(word);
        mergeAll(symbols, out);
    }

    /** One id per char (or per UTF-8 byte with byte fallback, or unk); chars with none of these are dropped, as in HF. */
    private int[] initialSymbols(String word) {
        IntArrayBuilder ids = new IntArrayBuilder();
        boolean previousUnk = false;
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int n = Character.charCount(cp);
            String ch = word.substring(i, i + n);
            i += n;
            Integer id = tokenToId.get(ch);
            if (id != null) { ids.add(id); previousUnk = false; continue; }
            if (options.byteFallback() && addByteTokens(ch, ids)) { previousUnk = false; continue; }
            if (unkId >= 0 && !(options.fuseUnk() && previousUnk)) ids.add(unkId);
            previousUnk = unkId >= 0;
        }
        return ids.toArray();
    }

    private boolean addByteTokens(String ch, IntArrayBuilder ids) {
        byte[] bytes = ch.getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) if (byteTokenIds[b & 0xff] < 0) return false;
        for (byte b : bytes) ids.add(byteTokenIds[b & 0xff]);
        return true;
    }

    private void mergeAll(int[] ids, IntArrayBuilder out) {
        int n = ids.length;
        int[] prev = new int[n], next = new int[n];
        boolean[] removed = new boolean[n];
        LongMinHeap queue = new LongMinHeap();
        for (int i = 0; i < n; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
            if (i + 1 < n) offer(queue, ids[i], ids[i + 1], i);
        }
        while (!queue.isEmpty()) {
            long top = queue.pop();
            int pos = (int) top, rank = (int) (top >>> 32);
            if (removed[pos] || next[pos] < 0) continue;
            int right = next[pos];
            long merge = merges.get(ids[pos], ids[right]);
            if (merge < 0 || (int) (merge >>> 32) != rank) continue; // stale entry: a neighbour changed
            ids[pos] = (int) merge;
            removed[right] = true;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) offer(queue, ids[prev[pos]], ids[pos], prev[pos]);
            if (next[pos] >= 0) offer(queue, ids[pos], ids[next[pos]], pos);
        }
        for (int i = n > 0 ? 0 : -1; i >= 0; i = next[i]) out.add(ids[i]);
    }

    private void offer(LongMinHeap queue, int left, int right, int pos) {
        long merge = merges.get(left, right);
        if (merge >= 0) queue.push((merge & 0xffffffff00000000L) | pos);
    }
}
