package dev.gmsa.transformer.generate;

import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns generated ids into streamed text: decodes everything so far and emits only the new, complete
 * characters (a multi-byte character split over tokens waits for its last byte). Watches for stop strings.
 */
final class TextStream {
    private final Tokenizer tokenizer;
    private final Consumer<String> sink;
    private final List<Integer> ids = new ArrayList<>();
    private String text = "";
    private int emitted;

    TextStream(Tokenizer tokenizer, Consumer<String> sink) {
        this.tokenizer = tokenizer;
        this.sink = sink;
    }

    /** Adds one id; returns true when the text now contains a stop string (the text is cut before it). */
    boolean append(int id, List<String> stopStrings) {
        ids.add(id);
        if (tokenizer == null) return false; // ids only: nothing to print or match
        text = tokenizer.decode(ids.stream().mapToInt(Integer::intValue).toArray());
        for (String stop : stopStrings) {
            int at = text.indexOf(stop);
            if (at >= 0) {
                text = text.substring(0, at);
                flush();
                return true;
            }
        }
        int printable = text.endsWith("\uFFFD") ? text.length() - 1 : text.length();
        // hold back a tail that could still grow into a stop string
        for (String stop : stopStrings)
            for (int k = Math.min(stop.length() - 1, printable); k > 0; k--)
                if (text.regionMatches(printable - k, stop, 0, k)) { printable -= k; break; }
        emit(printable);
        return false;
    }

    void flush() {
        emit(text.length());
    }

    private void emit(int upTo) {
        if (upTo > emitted && sink != null) sink.accept(text.substring(emitted, upTo));
        emitted = Math.max(emitted, upTo);
    }

    String text() {
        return text;
    }
}
