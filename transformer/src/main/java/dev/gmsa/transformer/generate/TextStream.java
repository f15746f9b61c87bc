package dev.gmsa.transformer.generate;

import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Turns generated ids into streamed text, in time linear in the output: only the open window of ids after the
 * last settled boundary is decoded again on each token, with one earlier id as context (so a leading-space
 * strip or a byte merge at the window's start decodes as it would in the whole sequence).
 *
 * <p>A boundary settles when the window's text does not end in U+FFFD (a multi-byte character still waiting
 * for bytes) and its last id is not a byte-fallback piece {@code <0xNN>} (Hugging Face's ByteFallback decoder
 * turns a whole run of byte pieces into U+FFFD when any of it is invalid, so a run is only final once it ends).
 * Settled text is printed and never taken back; a suffix that could still grow into a stop string is held back.
 * {@link #flush} prints the rest as decoded, so an incomplete trailing UTF-8 sequence prints as U+FFFD,
 * exactly as {@code tokenizer.decode} renders it.
 *
 * <p>So, without stop strings, the printed pieces concatenate to {@code decode(all ids)}. The one exception is
 * a window that reaches {@link #MAX_WINDOW} ids without settling (a run of byte pieces that long): it is then
 * committed at the next character boundary, or as is at twice that length, to keep the work per token bounded;
 * if that run later turns out invalid, decode would render all of it as U+FFFD, while the stream already printed
 * its valid start.
 */
final class TextStream {
    /** Ids an open window may hold before it is committed anyway. */
    static final int MAX_WINDOW = 32;
    private static final char REPLACEMENT = '\uFFFD';

    private final Tokenizer tokenizer;
    private final Consumer<String> sink;
    private int[] ids = new int[16];
    private int count;
    private int windowStart;          // ids[windowStart..count) are not settled yet
    private int contextId = -1;       // an id decoded before the window (not a byte piece), or -1
    private String contextText = "";  // decode([contextId])
    private final StringBuilder settled = new StringBuilder(); // the text of ids[0..windowStart)
    private String pending = "";      // the text the window adds after the settled text
    private int emitted;              // chars of settled text already printed
    private boolean stopped;

    TextStream(Tokenizer tokenizer, Consumer<String> sink) {
        this.tokenizer = tokenizer;
        this.sink = sink;
    }

    /** Adds one id; returns true when the text now contains a stop string (the text is cut before it). */
    boolean append(int id, List<String> stopStrings) {
        if (stopped) throw new IllegalStateException("TextStream: append after a stop string was found");
        if (count == ids.length) ids = Arrays.copyOf(ids, 2 * count);
        ids[count++] = id;
        if (tokenizer == null) return false; // ids only: nothing to print or match
        pending = decodeWindow();
        int stopAt = findStop(stopStrings);
        if (stopAt >= 0) {
            cutAt(stopAt);
            return true;
        }
        if (shouldSettle()) settle();
        emit(settled.length() - stopPrefixLength(stopStrings));
        return false;
    }

    /** Prints everything not printed yet (after the last token). */
    void flush() {
        if (tokenizer == null) return;
        settle();
        emit(settled.length());
    }

    /** The text so far (cut before a stop string if one was found); after {@link #flush}, all of it was printed. */
    String text() {
        return settled + pending;
    }

    /** The text of ids[windowStart..count) as it continues the settled text. */
    private String decodeWindow() {
        int[] window = Arrays.copyOfRange(ids, windowStart, count);
        if (contextId < 0) return tokenizer.decode(window);
        int[] withContext = new int[window.length + 1];
        withContext[0] = contextId;
        System.arraycopy(window, 0, withContext, 1, window.length);
        String text = tokenizer.decode(withContext);
        // the context id must decode the same in front of the window; if a tokenizer merges it, decode the window alone
        return text.startsWith(contextText) ? text.substring(contextText.length()) : tokenizer.decode(window);
    }

    private boolean shouldSettle() {
        int open = count - windowStart;
        boolean characterComplete = pending.isEmpty() || pending.charAt(pending.length() - 1) != REPLACEMENT;
        if (characterComplete && !isBytePiece(ids[count - 1])) return true;
        return open >= 2 * MAX_WINDOW || (open >= MAX_WINDOW && characterComplete);
    }

    private void settle() {
        settled.append(pending);
        pending = "";
        for (int i = count - 1; i >= windowStart; i--) {
            if (!isBytePiece(ids[i])) {
                contextId = ids[i];
                contextText = tokenizer.decode(new int[] {contextId});
                break;
            }
        }
        windowStart = count;
    }

    /** The first stop string in the text that could be new (ends past the settled text), as a char index, or -1. */
    private int findStop(List<String> stopStrings) {
        if (stopStrings.isEmpty()) return -1;
        int from = Math.max(0, settled.length() - Math.max(longest(stopStrings) - 1, 0));
        String region = settled.substring(from) + pending;
        int best = -1;
        for (String stop : stopStrings) {
            int at = region.indexOf(stop);
            if (at >= 0 && (best < 0 || at < best)) best = at;
        }
        return best < 0 ? -1 : from + best;
    }

    private void cutAt(int stopAt) {
        String all = text();
        settled.setLength(0);
        settled.append(all, 0, stopAt);
        pending = "";
        windowStart = count;
        stopped = true;
        emit(settled.length());
    }

    /** Length of the longest suffix of the settled text that is a proper prefix of a stop string. */
    private int stopPrefixLength(List<String> stopStrings) {
        int hold = 0;
        int end = settled.length();
        for (String stop : stopStrings)
            for (int k = Math.min(stop.length() - 1, end); k > hold; k--)
                if (regionEquals(end - k, stop, k)) { hold = k; break; }
        return hold;
    }

    private boolean regionEquals(int start, String stop, int length) {
        for (int i = 0; i < length; i++) if (settled.charAt(start + i) != stop.charAt(i)) return false;
        return true;
    }

    private static int longest(List<String> strings) {
        int max = 0;
        for (String s : strings) max = Math.max(max, s.length());
        return max;
    }

    /** A byte-fallback piece {@code <0xNN>}: its text depends on the whole run of such pieces around it. */
    private boolean isBytePiece(int id) {
        String token = tokenizer.token(id);
        return token != null && token.length() == 6 && token.startsWith("<0x") && token.charAt(5) == '>'
                && Character.digit(token.charAt(3), 16) >= 0 && Character.digit(token.charAt(4), 16) >= 0;
    }

    private void emit(int upTo) {
        if (upTo > emitted && sink != null) sink.accept(settled.substring(emitted, upTo));
        emitted = Math.max(emitted, upTo);
    }
}
