package dev.gmsa.loaders.safetensors;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Random valid checkpoints written by SafetensorsWriter read back bit for bit, with their metadata. */
class SafetensorsRoundTripProperties {
    private static Path dir;

    @BeforeContainer
    static void createDir() throws IOException {
        dir = Files.createTempDirectory("safetensors-roundtrip");
    }

    @AfterContainer
    static void deleteDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.delete(p);
        }
        Files.delete(dir);
    }

    @Property(tries = 500)
    void writtenTensorsReadBackExactly(@ForAll long seed) {
        Map<String, Tensor> tensors = RandomCheckpoints.tensors(seed);
        Map<String, String> metadata = RandomCheckpoints.metadata(seed);
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, tensors, metadata);
        try (SafetensorsFile read = SafetensorsFile.open(file)) {
            assertEquals(tensors.keySet(), read.names());
            assertEquals(metadata, read.metadata());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor expected = e.getValue(), actual = read.tensor(e.getKey());
                assertEquals(expected.dtype(), actual.dtype(), e.getKey());
                assertArrayEquals(expected.shape(), actual.shape(), e.getKey());
                assertArrayEquals(bits(expected), bits(actual), e.getKey());
            }
        }
    }

    /** Values as comparable bits (NaN canonical), in row-major order of the view. */
    static int[] bits(Tensor t) {
        if (t.dtype() == DType.I32) return t.toIntArray();
        float[] v = t.toFloatArray();
        return toBoxless(v);
    }

    private static int[] toBoxless(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) out[i] = Float.floatToIntBits(v[i]);
        return out;
    }
}
