package dev.gmsa.compress.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the fields of a parsed JSON record. Problems are reported as a short sentence
 * ({@link BadField}) that the reader prefixes with the file and line.
 */
final class JsonFields {
    /** A field is missing or has the wrong type; the message names the field and what was found. */
    static final class BadField extends Exception {
        BadField(String message) {
            super(message);
        }
    }

    private JsonFields() {}

    static JsonNode object(JsonNode node, String what) throws BadField {
        if (!node.isObject()) throw new BadField(what + " must be a JSON object, found " + describe(node));
        return node;
    }

    static String string(JsonNode record, String field) throws BadField {
        JsonNode value = present(record, field);
        if (!value.isTextual()) throw new BadField("field \"" + field + "\" must be a string, found " + describe(value));
        return value.textValue();
    }

    static List<String> strings(JsonNode record, String field) throws BadField {
        JsonNode value = array(record, field);
        List<String> strings = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode element = value.get(i);
            if (!element.isTextual()) {
                throw new BadField("field \"" + field + "\"[" + i + "] must be a string, found " + describe(element));
            }
            strings.add(element.textValue());
        }
        return strings;
    }

    static JsonNode array(JsonNode record, String field) throws BadField {
        JsonNode value = present(record, field);
        if (!value.isArray()) throw new BadField("field \"" + field + "\" must be an array, found " + describe(value));
        return value;
    }

    /** A boolean field that may be absent (then {@code absent}). */
    static boolean optionalBoolean(JsonNode record, String field, boolean absent) throws BadField {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) return absent;
        if (!value.isBoolean()) throw new BadField("field \"" + field + "\" must be true or false, found " + describe(value));
        return value.booleanValue();
    }

    private static JsonNode present(JsonNode record, String field) throws BadField {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) throw new BadField("missing field \"" + field + "\"");
        return value;
    }

    /** The JSON type of a node and a short preview of it, e.g. {@code number 42}. */
    static String describe(JsonNode node) {
        String text = node.toString();
        if (text.length() > 40) text = text.substring(0, 37) + "...";
        return node.getNodeType().name().toLowerCase() + " " + text;
    }
}
