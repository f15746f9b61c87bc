package dev.gmsa.cli.lm;

import dev.gmsa.loaders.LoadException;
import dev.gmsa.loaders.TokenizerJson;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * Encodes text with a Hugging Face tokenizer.json (no special tokens added) and decodes it back. The decoded text is
 * escaped so that it stays on its one key=value line.
 */
@Command(name = "tokenize", description = {"Encode text with a tokenizer.json (no special tokens added): prints ids=... and decoded=...",
        "decoded= is one line: backslash, newline, carriage return and tab are written as \\\\, \\n, \\r and \\t."})
public final class TokenizeCommand implements Callable<Integer> {
    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "a Hugging Face tokenizer.json")
    Path tokenizer;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "the text to encode")
        String text;

        @Option(names = "--text-file", paramLabel = "FILE", description = "a UTF-8 file whose content is encoded")
        Path textFile;
    }

    @Override
    public Integer call() {
        try {
            Tokenizer tok = TokenizerJson.load(tokenizer);
            int[] ids = tok.encode(text());
            System.out.println("ids=" + Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(",")));
            System.out.println("decoded=" + escapeLine(tok.decode(ids)));
            return 0;
        } catch (LoadException e) {
            System.err.println("gmsa tokenize: " + e.getMessage());
            return 1;
        }
    }

    /** The text on one line: a backslash, newline, carriage return and tab become the two characters \\ \n \r \t. */
    static String escapeLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private String text() {
        if (input.text != null) return input.text;
        try {
            return Files.readString(input.textFile, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw LoadException.of(input.textFile, "file not found");
        } catch (IOException e) {
            throw LoadException.of(input.textFile.toString(), "cannot read as UTF-8 text: " + e.getMessage(), e);
        }
    }
}
