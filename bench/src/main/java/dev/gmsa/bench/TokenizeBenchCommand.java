package dev.gmsa.bench;

import dev.gmsa.compress.data.SyntheticStories;
import dev.gmsa.loaders.TokenizerJson;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code gmsa bench tokenize}: encode and decode N megabytes of UTF-8 text with a tokenizer.json, the issue's
 * "1 MB of text tokenized in well under a second". The text is --text-file repeated or cut to size, or generated
 * stories when none is given.
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Times encode and decode of --megabytes of text; prints encode_s= (median), mb_per_s=, tokens= and decode_s=.")
final class TokenizeBenchCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, description = "a Hugging Face tokenizer.json", paramLabel = "FILE")
    Path tokenizerFile;

    @Option(names = "--text-file", description = "UTF-8 text to tokenize (repeated or cut to --megabytes); default: generated stories",
            paramLabel = "FILE")
    Path textFile;

    @Option(names = "--megabytes", defaultValue = "1", description = "UTF-8 megabytes (10^6 bytes) of text")
    double megabytes;

    @Option(names = "--runs", defaultValue = "5", description = "timed runs")
    int runs;

    @Option(names = "--warmup", defaultValue = "2", description = "untimed runs first (JIT warm-up)")
    int warmup;

    @Override
    public Integer call() {
        if (!(megabytes > 0)) throw new IllegalArgumentException("--megabytes must be positive, got " + megabytes);
        Tokenizer tokenizer = TokenizerJson.load(tokenizerFile);
        String text = textOfSize((long) (megabytes * 1e6));
        int[][] ids = new int[1][];
        RunTimes encode = RunTimes.measure(warmup, runs, () -> ids[0] = tokenizer.encode(text));
        RunTimes decode = RunTimes.measure(warmup, runs, () -> tokenizer.decode(ids[0]));
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        System.out.printf("tokenizer=%s bytes=%d tokens=%d runs=%d%n", tokenizerFile, bytes, ids[0].length, runs);
        System.out.printf("encode_s=%.3f (min %.3f max %.3f) mb_per_s=%.2f decode_s=%.3f%n",
                encode.median(), encode.min(), encode.max(), bytes / 1e6 / encode.median(), decode.median());
        return 0;
    }

    /** About {@code bytes} UTF-8 bytes: the text file repeated (or cut at a character boundary), else stories. */
    private String textOfSize(long bytes) {
        String source = textFile == null ? generatedStories(bytes) : read(textFile);
        if (source.isEmpty()) throw new IllegalArgumentException(textFile + ": the text file is empty");
        StringBuilder sb = new StringBuilder();
        long have = 0;
        while (have < bytes) {
            for (int i = 0; i < source.length() && have < bytes; ) {
                int cp = source.codePointAt(i);
                sb.appendCodePoint(cp);
                have += utf8Length(cp);
                i += Character.charCount(cp);
            }
        }
        return sb.toString();
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private static String generatedStories(long bytes) {
        SplittableRandom rng = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder();
        while (sb.length() < bytes) sb.append(SyntheticStories.story(rng, 8)).append('\n');
        return sb.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the text file: " + e.getMessage(), e);
        }
    }
}
