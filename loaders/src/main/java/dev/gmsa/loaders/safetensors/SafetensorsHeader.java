package dev.gmsa.loaders.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gmsa.loaders.Json;
import dev.gmsa.loaders.LoadException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and validated JSON header of a safetensors file. Validation is complete before any tensor is read:
 * every dtype is known, every shape is non-negative and fits an int tensor, every byte range matches
 * shape x dtype size, and the ranges tile the data section exactly (no overlap, no gap, nothing past the end).
 */
public record SafetensorsHeader(List<TensorEntry> tensors, Map<String, String> metadata) {
    /** The safetensors reference implementation refuses headers above 100 MB; so do we. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    private static final int MAX_RANK = 64;

    public SafetensorsHeader {
        tensors = List.copyOf(tensors);
        metadata = Map.copyOf(metadata);
    }

    /**
     * @param json     the header bytes
     * @param dataSize bytes in the data section that follows the header
     * @param source   the file name for error messages
     */
    public static SafetensorsHeader parse(byte[] json, long dataSize, String source) {
        JsonNode root = Json.parse(json, source + " (safetensors header)");
        if (!root.isObject()) throw new LoadException(source + ": safetensors header is not a JSON object");
        List<TensorEntry> tensors = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) metadata = parseMetadata(field.getValue(), source);
            else tensors.add(parseEntry(field.getKey(), field.getValue(), source));
        }
        checkTiling(tensors, dataSize, source);
        return new SafetensorsHeader(tensors, metadata);
    }

    private static Map<String, String> parseMetadata(JsonNode node, String source) {
        if (!node.isObject()) throw new LoadException(source + ": __metadata__ is not a JSON object");
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual())
                throw new LoadException(source + ": __metadata__ value of '" + e.getKey() + "' is not a string");
            metadata.put(e.getKey(), e.getValue().textValue());
        }
        return metadata;
    }

    private static TensorEntry parseEntry(String name, JsonNode node, String source) {
        String where = source + ": tensor '" + name + "'";
        if (!node.isObject()) throw new LoadException(where + " is not described by a JSON object");
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) throw new LoadException(where + " has no dtype string");
        String dtype = dtypeNode.textValue();
        Integer elementBytes = TensorEntry.DTYPE_BYTES.get(dtype);
        if (elementBytes == null) throw new LoadException(where + " has unknown dtype '" + dtype + "'");
        int[] shape = parseShape(node.get("shape"), where);
        long[] offsets = parseOffsets(node.get("data_offsets"), where);
        long numel = numel(shape, where);
        long expected = numel * elementBytes; // numel <= 2^31 and elementBytes <= 8: no overflow
        if (offsets[1] - offsets[0] != expected)
            throw new LoadException(where + ": shape " + java.util.Arrays.toString(shape) + " x " + dtype + " needs " + expected
                    + " bytes but data_offsets [" + offsets[0] + ", " + offsets[1] + ") hold " + (offsets[1] - offsets[0]));
        return new TensorEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static int[] parseShape(JsonNode node, String where) {
        if (node == null || !node.isArray()) throw new LoadException(where + " has no shape array");
        if (node.size() > MAX_RANK) throw new LoadException(where + " has rank " + node.size() + " (at most " + MAX_RANK + ")");
        int[] shape = new int[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = node.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToInt() || d.intValue() < 0)
                throw new LoadException(where + " has invalid dimension " + d + " in shape " + node + " (need 0 <= d < 2^31)");
            shape[i] = d.intValue();
        }
        return shape;
    }

    private static long[] parseOffsets(JsonNode node, String where) {
        if (node == null || !node.isArray() || node.size() != 2)
            throw new LoadException(where + " needs data_offsets [begin, end], got " + node);
        long[] offsets = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = node.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0)
                throw new LoadException(where + " has invalid data_offsets " + node);
            offsets[i] = o.longValue();
        }
        if (offsets[1] < offsets[0]) throw new LoadException(where + " has reversed data_offsets " + node);
        return offsets;
    }

    private static long numel(int[] shape, String where) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE)
                throw new LoadException(where + ": shape " + java.util.Arrays.toString(shape) + " has more than 2^31-1 elements");
        }
        return n;
    }

    private static void checkTiling(List<TensorEntry> tensors, long dataSize, String source) {
        List<TensorEntry> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long covered = 0;
        TensorEntry previous = null;
        for (TensorEntry e : byOffset) {
            if (e.end() > dataSize)
                throw new LoadException(source + ": tensor '" + e.name() + "' data_offsets [" + e.begin() + ", " + e.end()
                        + ") run past the end of the " + dataSize + "-byte data section (file truncated?)");
            if (e.begin() < covered)
                throw new LoadException(source + ": tensor '" + e.name() + "' at [" + e.begin() + ", " + e.end()
                        + ") overlaps tensor '" + previous.name() + "' at [" + previous.begin() + ", " + previous.end() + ")");
            if (e.begin() > covered)
                throw new LoadException(source + ": tensor '" + e.name() + "' starts at byte " + e.begin()
                        + " but the data before it ends at " + covered + " (gap in the data section)");
            covered = e.end();
            previous = e;
        }
        if (covered != dataSize)
            throw new LoadException(source + ": data section has " + dataSize + " bytes but the tensors cover " + covered);
    }
}
