package dev.gmsa.loaders.safetensors;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file over 2 GB: tensors whose bytes start past 2^31 (and 2^32) are read in place. The file is sparse (only the
 * header and a few values are written), so the test needs neither 2.5 GB of disk nor of memory.
 */
class SafetensorsLargeFileTest {
    /** 650,000,000 F32 values (2.6 GB), then 900,000,000 BF16 values (1.8 GB): "half" starts past 2^31, "tail" past 2^32. */
    private static final long FILLER = 650_000_000L;
    private static final long BF16_ELEMENTS = 900_000_000L;

    @Test
    void tensorsPastTwoAndFourGigabytesAreReadInPlace(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("large.safetensors");
        long fillerEnd = FILLER * 4, halfEnd = fillerEnd + BF16_ELEMENTS * 2, tailEnd = halfEnd + 4 * 4;
        String header = "{\"filler\":{\"dtype\":\"F32\",\"shape\":[" + FILLER + "],\"data_offsets\":[0," + fillerEnd + "]},"
                + "\"half\":{\"dtype\":\"BF16\",\"shape\":[" + BF16_ELEMENTS + "],\"data_offsets\":[" + fillerEnd + "," + halfEnd + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[" + halfEnd + "," + tailEnd + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        long dataStart = 8 + json.length;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(dataStart + tailEnd); // sparse: unwritten bytes read as zero
            raf.write(littleEndian(8).putLong(json.length).array());
            raf.write(json);
            writeFloats(raf, dataStart + 4 * (FILLER - 1), 7.5f);                    // last filler value, byte ~2.6e9
            writeBf16(raf, dataStart + fillerEnd + 2 * (BF16_ELEMENTS - 1), -3.0f);  // last BF16 value, byte ~4.4e9
            writeFloats(raf, dataStart + halfEnd, 1f, 2f, 3f, 4f);                     // past 2^32
        }
        assertTrue(dataStart + halfEnd > (1L << 32), "the test file crosses 4 GB");

        try (SafetensorsFile st = SafetensorsFile.open(file)) {
            Tensor tail = st.tensor("tail");
            assertArrayEquals(new int[] {2, 2}, tail.shape());
            assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, tail.toFloatArray());
            Tensor filler = st.tensor("filler");
            assertEquals(7.5f, filler.get((int) (FILLER - 1)));
            assertEquals(0f, filler.get(0));
            Tensor half = st.tensor("half");
            assertEquals(DType.BF16, half.dtype());
            assertEquals(-3.0f, half.get((int) (BF16_ELEMENTS - 1)));
            assertEquals(0f, half.get((int) (BF16_ELEMENTS / 2)));
        }
    }

    private static ByteBuffer littleEndian(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void writeFloats(RandomAccessFile raf, long at, float... values) throws IOException {
        ByteBuffer b = littleEndian(4 * values.length);
        for (float v : values) b.putFloat(v);
        raf.seek(at);
        raf.write(b.array());
    }

    private static void writeBf16(RandomAccessFile raf, long at, float value) throws IOException {
        raf.seek(at);
        raf.write(littleEndian(2).putShort((short) (Float.floatToIntBits(value) >>> 16)).array());
    }
}
