package dev.gmsa.compress.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON Lines file (UTF-8, one JSON object per line, blank lines skipped) and turns each
 * object into a record with a {@link RecordParser}. Any problem (bad UTF-8, bad JSON, not an
 * object, missing field, wrong type) becomes a {@link MalformedRecordException} naming the file
 * and 1-based line.
 */
final class JsonlReader {
    /** Turns one parsed JSON object into a record. */
    interface RecordParser<T> {
        T parse(JsonNode record) throws JsonFields.BadField;
    }

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonlReader() {}

    static <T> List<T> read(Path file, RecordParser<T> parser) throws IOException {
        List<T> records = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            while (true) {
                String line;
                try {
                    line = reader.readLine();
                } catch (CharacterCodingException e) {
                    throw new MalformedRecordException(file, lineNumber + 1, "not valid UTF-8");
                }
                if (line == null) break;
                lineNumber++;
                if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // byte order mark
                if (line.isBlank()) continue;
                records.add(parseLine(file, lineNumber, line, parser));
            }
        }
        return records;
    }

    private static <T> T parseLine(Path file, long lineNumber, String line, RecordParser<T> parser)
            throws MalformedRecordException {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            throw new MalformedRecordException(file, lineNumber, "bad JSON: " + e.getOriginalMessage());
        }
        try {
            return parser.parse(JsonFields.object(node, "a JSONL record"));
        } catch (JsonFields.BadField e) {
            throw new MalformedRecordException(file, lineNumber, e.getMessage());
        }
    }
}
