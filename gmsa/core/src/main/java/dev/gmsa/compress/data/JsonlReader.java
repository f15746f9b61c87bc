package dev.gmsa.compress.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON Lines file (UTF-8, one JSON object per {@code \n}-ended line, a trailing {@code \r}
 * allowed, blank lines skipped) and turns each
 * object into a record with a {@link RecordParser}. Any problem (bad UTF-8, bad JSON, not an
 * object, missing field, wrong type) becomes a {@link MalformedRecordException} naming the file
 * and 1-based line.
 */
final class JsonlReader {
    /** Turns one parsed JSON object into a record. */
    interface RecordParser<T> {
        T parse(JsonNode record) throws JsonFields.BadField;
    }

    static final ObjectMapper MAPPER = dev.gmsa.loaders.Json.MAPPER; // strict: duplicate keys and trailing tokens are errors

    private JsonlReader() {}

    static <T> List<T> read(Path file, RecordParser<T> parser) throws IOException {
        List<T> records = new ArrayList<>();
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        // Lines are split as bytes and decoded one by one, so a decoding error names its own line.
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long lineNumber = 0;
            for (int b = in.read(); ; b = in.read()) {
                if (b != '\n' && b != -1) {
                    bytes.write(b);
                    continue;
                }
                if (b == -1 && bytes.size() == 0) break;
                lineNumber++;
                String line = decode(utf8, bytes, file, lineNumber);
                bytes.reset();
                if (lineNumber == 1 && line.startsWith("\uFEFF")) line = line.substring(1); // byte order mark
                if (!line.isBlank()) records.add(parseLine(file, lineNumber, line, parser));
                if (b == -1) break;
            }
        }
        return records;
    }

    private static String decode(CharsetDecoder utf8, ByteArrayOutputStream bytes, Path file, long lineNumber)
            throws MalformedRecordException {
        try {
            return utf8.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedRecordException(file, lineNumber, "not valid UTF-8");
        }
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
