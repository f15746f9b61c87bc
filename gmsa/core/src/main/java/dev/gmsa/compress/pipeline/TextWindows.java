package dev.gmsa.compress.pipeline;

import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluation windows of {@code tokens} tokens cut from documents: the first window of every document, then the
 * second of every document, and so on (so a limit still samples every source). A document shorter than one window is
 * evaluated whole; otherwise no window is partial.
 */
public final class TextWindows {
    private TextWindows() {}

    public static List<int[]> of(List<String> documents, Tokenizer tokenizer, int tokens, int limit) {
        if (tokens < 1) throw new IllegalArgumentException("--context-tokens must be >= 1, got " + tokens);
        List<int[]> ids = documents.stream().map(tokenizer::encode).toList();
        List<int[]> out = new ArrayList<>();
        for (int round = 0; out.size() < limit; round++) {
            boolean any = false;
            for (int[] doc : ids) {
                int from = round * tokens;
                boolean wholeShortDocument = round == 0 && doc.length > 0 && doc.length < tokens;
                if (from + tokens > doc.length && !wholeShortDocument) continue;
                any = true;
                out.add(Arrays.copyOfRange(doc, from, Math.min(doc.length, from + tokens)));
                if (out.size() == limit) break;
            }
            if (!any) break;
        }
        if (out.isEmpty())
            throw new IllegalArgumentException("no text to evaluate: every document is empty");
        return out;
    }
}
