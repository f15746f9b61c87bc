package dev.gmsa.transformer.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Learns a byte-level BPE vocabulary from text, as Hugging Face's {@code BpeTrainer} does for GPT-2-style
 * tokenizers: split the text with the pre-tokenizer regex, count each piece's byte-level string, start from the
 * 256 byte symbols and repeatedly merge the most frequent adjacent pair (ties: the pair of smaller ids) until
 * the vocabulary is full or no pair occurs {@code minFrequency} times.
 *
 * <p>Pair counts are kept up to date incrementally: merging a pair touches only the words that contain it
 * (found through a pair-to-words index), and a max-heap with lazy deletion finds the next best pair.
 */
public final class BpeTrainer {
    /** GPT-2's pre-tokenizer pattern: contractions, letters, digits, other symbols, each with one leading space. */
    public static final String GPT2_PATTERN = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

    /** What training produced: ids 0.. are the special tokens, then the 256 byte chars, then one token per merge. */
    public record Result(List<String> specialTokens, Map<String, Integer> vocab, List<String[]> merges, String splitRegex) {}

    private final SplitPattern split = new SplitPattern(GPT2_PATTERN);
    private final Map<String, Long> pieceCounts = new HashMap<>();

    /** Counts the pieces of one text (call for every training text, then {@link #train}). */
    public void add(String text) {
        split.split(text, piece -> pieceCounts.merge(ByteLevel.encode(piece.getBytes(StandardCharsets.UTF_8)), 1L, Long::sum));
    }

    /**
     * @param vocabSize    total ids, special tokens and the 256 byte symbols included
     * @param minFrequency a pair seen fewer times is never merged
     */
    public Result train(int vocabSize, List<String> specialTokens, int minFrequency) {
        int base = specialTokens.size() + 256;
        if (vocabSize < base)
            throw new IllegalArgumentException("vocab size " + vocabSize + " is smaller than the " + specialTokens.size() + " special tokens + 256 bytes");
        if (minFrequency < 1) throw new IllegalArgumentException("min frequency must be >= 1, got " + minFrequency);
        List<String> symbols = new ArrayList<>(vocabSize);
        symbols.addAll(specialTokens);
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) ids.put(symbols.get(i), i);
        for (int b = 0; b < 256; b++) {
            String c = String.valueOf(ByteLevel.charOf((byte) b));
            ids.put(c, symbols.size());
            symbols.add(c);
        }
        Words words = new Words(pieceCounts, ids);
        List<String[]> merges = new ArrayList<>();
        while (symbols.size() < vocabSize) {
            long best = words.takeBestPair(minFrequency);
            if (best < 0) break;
            int left = (int) (best >>> 32), right = (int) best;
            String merged = symbols.get(left) + symbols.get(right);
            int newId = symbols.size();
            symbols.add(merged);
            merges.add(new String[] {symbols.get(left), symbols.get(right)});
            words.merge(left, right, newId);
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int i = 0; i < symbols.size(); i++) vocab.put(symbols.get(i), i);
        return new Result(List.copyOf(specialTokens), vocab, merges, GPT2_PATTERN);
    }

    private static long pairKey(int left, int right) {
        return ((long) left << 32) | (right & 0xffffffffL);
    }

    /** The distinct pieces as symbol-id sequences, with pair counts and the pair-to-words index. */
    private static final class Words {
        private final int[][] symbols;
        private final long[] counts;
        private final Map<Long, Long> pairCounts = new HashMap<>();
        private final Map<Long, List<Integer>> wordsWithPair = new HashMap<>();
        /** (count, pair) entries; an entry whose count no longer matches pairCounts is stale. */
        private final PriorityQueue<long[]> heap = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));

        Words(Map<String, Long> pieceCounts, Map<String, Integer> ids) {
            // sorted pieces: the same text always gives the same word order, so the same ties and merges
            List<String> pieces = new ArrayList<>(pieceCounts.keySet());
            pieces.sort(null);
            symbols = new int[pieces.size()][];
            counts = new long[pieces.size()];
            for (int w = 0; w < pieces.size(); w++) {
                String piece = pieces.get(w);
                int[] s = new int[piece.length()];
                for (int i = 0; i < s.length; i++) s[i] = ids.get(String.valueOf(piece.charAt(i)));
                symbols[w] = s;
                counts[w] = pieceCounts.get(piece);
                addPairs(w, +1);
            }
            pairCounts.forEach((pair, count) -> heap.add(new long[] {count, pair}));
        }

        /** The most frequent pair with at least minFrequency occurrences, or -1. */
        long takeBestPair(int minFrequency) {
            while (!heap.isEmpty()) {
                long[] top = heap.poll();
                long current = pairCounts.getOrDefault(top[1], 0L);
                if (current != top[0]) {
                    if (current > 0) heap.add(new long[] {current, top[1]});
                    continue;
                }
                return current >= minFrequency ? top[1] : -1;
            }
            return -1;
        }

        void merge(int left, int right, int newId) {
            long key = pairKey(left, right);
            List<Integer> touched = wordsWithPair.remove(key);
            java.util.Set<Long> changed = new java.util.HashSet<>();
            for (int w : touched == null ? List.<Integer>of() : new java.util.LinkedHashSet<>(touched)) {
                int[] s = symbols[w];
                if (!contains(s, left, right)) continue; // the index is never pruned: skip words merged away already
                addPairs(w, -1, changed);
                symbols[w] = mergedSymbols(s, left, right, newId);
                addPairs(w, +1, changed);
            }
            pairCounts.remove(key);
            for (long pair : changed) {
                long c = pairCounts.getOrDefault(pair, 0L);
                if (c > 0) heap.add(new long[] {c, pair});
            }
        }

        private void addPairs(int w, int sign) {
            addPairs(w, sign, null);
        }

        private void addPairs(int w, int sign, java.util.Set<Long> changed) {
            int[] s = symbols[w];
            for (int i = 0; i + 1 < s.length; i++) {
                long pair = pairKey(s[i], s[i + 1]);
                long c = pairCounts.merge(pair, sign * counts[w], Long::sum);
                if (c == 0) pairCounts.remove(pair);
                if (sign > 0) wordsWithPair.computeIfAbsent(pair, k -> new ArrayList<>()).add(w);
                if (changed != null) changed.add(pair);
            }
        }

        private static boolean contains(int[] s, int left, int right) {
            for (int i = 0; i + 1 < s.length; i++) if (s[i] == left && s[i + 1] == right) return true;
            return false;
        }

        /** Left-to-right, non-overlapping: "a a a" with merge (a, a) becomes "aa a", as Hugging Face merges. */
        private static int[] mergedSymbols(int[] s, int left, int right, int newId) {
            int[] out = new int[s.length];
            int n = 0;
            for (int i = 0; i < s.length; i++) {
                if (i + 1 < s.length && s[i] == left && s[i + 1] == right) {
                    out[n++] = newId;
                    i++;
                } else {
                    out[n++] = s[i];
                }
            }
            return java.util.Arrays.copyOf(out, n);
        }
    }
}
