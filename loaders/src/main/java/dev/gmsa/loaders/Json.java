package dev.gmsa.loaders;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Strict JSON reading shared by the loaders: duplicate keys and trailing garbage are errors, not last-one-wins. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // config.json files written by Python may hold NaN/Infinity
            .build();

    private Json() {}

    /** Reads a JSON file; any problem becomes a LoadException naming the file. */
    public static JsonNode read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw LoadException.of(file, "file not found");
        } catch (IOException e) {
            throw LoadException.of(file.toString(), "cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    public static JsonNode parse(byte[] bytes, String source) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) throw new LoadException(source + ": empty JSON document");
            return node;
        } catch (JsonProcessingException e) {
            throw LoadException.of(source, "invalid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw LoadException.of(source, "cannot parse JSON: " + e.getMessage(), e);
        }
    }
}
