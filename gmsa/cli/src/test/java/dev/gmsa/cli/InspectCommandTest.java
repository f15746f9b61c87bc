package dev.gmsa.cli;

import dev.gmsa.testing.Fixtures;
import dev.gmsa.testing.CommandRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/gmsa inspect}: the config's architecture and a parameter table whose total is the checkpoint's size. */
class InspectCommandTest {
    @ParameterizedTest
    @ValueSource(strings = {"stories260K-hf", "tiny-llama3", "tiny-qwen3"})
    void printsArchitectureAndParameterCount(String name) throws IOException {
        Path model = Fixtures.path(name);
        CommandRun run = CliRun.of("inspect", "--model", model.toString()).ok();
        JsonNode config = new ObjectMapper().readTree(model.resolve("config.json").toFile());
        assertEquals(config.get("model_type").textValue(), run.value("architecture"), run.out());
        assertEquals(config.get("hidden_size").asText(), run.value("hidden_size"), run.out());

        long params = Long.parseLong(run.value("params"));
        assertEquals(tableTotal(run.out()), params, "params= is the sum of the table's count column\n" + run.out());
        assertEquals(countFromSafetensorsHeaders(model), params, "params= is the checkpoint's element count");
    }

    @Test
    void aMissingFolderIsOneLine() {
        Path missing = Fixtures.path("stories260K-hf").resolveSibling("no-such-model");
        CommandRun run = CliRun.of("inspect", "--model", missing.toString());
        assertEquals(1, run.exit());
        assertTrue(run.err().startsWith("gmsa inspect: " + missing), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }

    /** The rows between the "name shape dtype count" header and params=: the last column summed. */
    private static long tableTotal(String out) {
        List<String> lines = out.lines().toList();
        int header = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).matches("name\\s+shape\\s+dtype\\s+count")) header = i;
        assertTrue(header >= 0, "table header in:\n" + out);
        long total = 0;
        int rows = 0;
        for (String row : lines.subList(header + 1, lines.size())) {
            if (row.startsWith("params=")) break;
            String[] cells = row.trim().split("\\s+");
            total += Long.parseLong(cells[cells.length - 1]);
            rows++;
        }
        assertFalse(rows == 0, "no parameter rows in:\n" + out);
        return total;
    }

    /** Elements of every tensor of every *.safetensors file, read from the headers (u64 length, then JSON). */
    private static long countFromSafetensorsHeaders(Path model) throws IOException {
        long total = 0;
        try (var files = Files.list(model)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".safetensors")).sorted().toList()) {
                JsonNode header;
                try (InputStream in = Files.newInputStream(file)) {
                    long length = ByteBuffer.wrap(in.readNBytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
                    header = new ObjectMapper().readTree(in.readNBytes(Math.toIntExact(length)));
                }
                for (Map.Entry<String, JsonNode> tensor : header.properties()) {
                    if (tensor.getKey().equals("__metadata__")) continue;
                    long n = 1;
                    for (JsonNode dim : tensor.getValue().get("shape")) n *= dim.longValue();
                    total += n;
                }
            }
        }
        assertTrue(total > 0, "no tensors in " + model);
        return total;
    }
}
