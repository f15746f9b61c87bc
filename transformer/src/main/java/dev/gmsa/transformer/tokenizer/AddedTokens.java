package dev.gmsa.transformer.tokenizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits added tokens out of raw text: at the leftmost position where any added token starts, the longest one
 * wins (Hugging Face's leftmost-longest matching). Text between matches goes to the model.
 */
final class AddedTokens {
    private final Map<Integer, AddedToken> byId = new HashMap<>();
    private final Map<String, AddedToken> byContent = new HashMap<>();
    /** Candidates by first char, longest first. */
    private final Map<Character, List<AddedToken>> byFirstChar = new HashMap<>();

    AddedTokens(List<AddedToken> tokens) {
        for (AddedToken t : tokens) {
            byId.put(t.id(), t);
            byContent.put(t.content(), t);
            byFirstChar.computeIfAbsent(t.content().charAt(0), c -> new ArrayList<>()).add(t);
        }
        for (List<AddedToken> list : byFirstChar.values())
            list.sort(Comparator.comparingInt((AddedToken t) -> t.content().length()).reversed());
    }

    AddedToken byId(int id) {
        return byId.get(id);
    }

    AddedToken byContent(String content) {
        return byContent.get(content);
    }

    int maxId() {
        return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    List<TextSegment> split(String text) {
        List<TextSegment> out = new ArrayList<>();
        if (byFirstChar.isEmpty()) {
            if (!text.isEmpty()) out.add(TextSegment.text(text, true));
            return out;
        }
        int textStart = 0, i = 0;
        while (i < text.length()) {
            AddedToken match = longestMatchAt(text, i);
            if (match == null) { i++; continue; }
            int before = i, after = i + match.content().length();
            if (match.lstrip()) while (before > textStart && Character.isWhitespace(text.charAt(before - 1))) before--;
            if (match.rstrip()) while (after < text.length() && Character.isWhitespace(text.charAt(after))) after++;
            if (before > textStart) out.add(TextSegment.text(text.substring(textStart, before), textStart == 0));
            out.add(TextSegment.token(match.id()));
            textStart = i = after;
        }
        if (textStart < text.length()) out.add(TextSegment.text(text.substring(textStart), textStart == 0));
        return out;
    }

    private AddedToken longestMatchAt(String text, int i) {
        List<AddedToken> candidates = byFirstChar.get(text.charAt(i));
        if (candidates == null) return null;
        for (AddedToken t : candidates) if (text.startsWith(t.content(), i)) return t;
        return null;
    }
}
