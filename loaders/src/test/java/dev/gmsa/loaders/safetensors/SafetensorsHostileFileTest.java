package dev.gmsa.loaders.safetensors;

import dev.gmsa.loaders.LoadException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each way a header can lie gets a LoadException whose message names the file and the tensor. */
class SafetensorsHostileFileTest {
    private static final String F = "f.safetensors";

    private static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), header.length(), dataBytes);
    }

    private static byte[] file(byte[] header, long claimedLength, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(claimedLength).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    private static String failure(byte[] bytes) {
        return assertThrows(LoadException.class, () -> SafetensorsFile.of(MemorySegment.ofArray(bytes), F)).getMessage();
    }

    private static void assertFails(byte[] bytes, String... parts) {
        String message = failure(bytes);
        assertTrue(message.startsWith(F + ": ") || message.startsWith(F + " (safetensors header)"), message);
        for (String part : parts) assertTrue(message.contains(part), () -> "'" + part + "' missing from: " + message);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}";
    }

    @Test
    void aValidFileWithMetadataLoads() {
        byte[] bytes = file("{\"__metadata__\":{\"format\":\"pt\"}," + entry("w", "F32", "[2,3]", 0, 24) + "}", 24);
        SafetensorsFile f = SafetensorsFile.of(MemorySegment.ofArray(bytes), F);
        assertEquals("pt", f.metadata().get("format"));
        assertEquals(6, f.tensor("w").numel());
    }

    @Test
    void headerLengthBeyondTheFileOrAbsurdIsRefused() {
        assertFails(file("{}".getBytes(), 1000, 0), "header length 1000");
        assertFails(file("{}".getBytes(), -1, 0), "header length 18446744073709551615");
        assertFails(file(new byte[0], 200_000_000L, 0), "header length 200000000");
        assertFails(new byte[] {1, 2, 3}, "too short");
    }

    @Test
    void invalidJsonAndNonObjectsAreRefused() {
        assertFails(file("{\"w\":", 0), "invalid JSON");
        assertFails(file("[1,2]", 0), "not a JSON object");
        assertFails(file(new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'}, 7, 0), "invalid JSON");
        assertFails(file("{} trailing", 0), "invalid JSON");
        assertFails(file("{\"w\":7}", 0), "tensor 'w'", "not described by a JSON object");
    }

    @Test
    void duplicateTensorNamesAreRefused() {
        assertFails(file("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}", 8), "Duplicate field 'w'");
    }

    @Test
    void offsetsPastTheEndReversedOrOverlappingAreRefused() {
        assertFails(file("{" + entry("w", "F32", "[4]", 0, 16) + "}", 8), "tensor 'w'", "past the end");
        assertFails(file("{" + entry("w", "F32", "[0]", 8, 4) + "}", 8), "tensor 'w'", "reversed");
        assertFails(file("{" + entry("a", "F32", "[2]", 0, 8) + "," + entry("b", "F32", "[2]", 4, 12) + "}", 12),
                "tensor 'b'", "overlaps tensor 'a'");
        assertFails(file("{" + entry("a", "F32", "[1]", 4, 8) + "}", 8), "tensor 'a'", "gap");
        assertFails(file("{" + entry("a", "F32", "[1]", 0, 4) + "}", 8), "data section has 8 bytes but the tensors cover 4");
        assertFails(file("{" + entry("w", "F32", "[1]", -4, 0) + "}", 0), "tensor 'w'", "invalid data_offsets");
        assertFails(file("{" + entry("w", "F32", "[1]", 0, 4) .replace("[0,4]", "[0,4,8]") + "}", 4), "tensor 'w'", "data_offsets");
    }

    @Test
    void shapeTimesDtypeSizeMustEqualTheByteRange() {
        assertFails(file("{" + entry("w", "BF16", "[3]", 0, 8) + "}", 8), "tensor 'w'", "needs 6 bytes", "hold 8");
        assertFails(file("{" + entry("w", "F32", "[65536,65536]", 0, 8) + "}", 8), "tensor 'w'", "more than 2^31-1 elements");
    }

    @Test
    void negativeOrNonIntegerDimensionsAreRefused() {
        assertFails(file("{" + entry("w", "F32", "[-1]", 0, 0) + "}", 0), "tensor 'w'", "invalid dimension -1");
        assertFails(file("{" + entry("w", "F32", "[1.5]", 0, 0) + "}", 0), "tensor 'w'", "invalid dimension 1.5");
        assertFails(file("{" + entry("w", "F32", "[99999999999]", 0, 0) + "}", 0), "tensor 'w'", "invalid dimension");
        assertFails(file("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,0]}}", 0), "tensor 'w'", "no shape");
    }

    @Test
    void unknownDtypesAreRefusedAtOpenAndUnsupportedOnesWhenRead() {
        assertFails(file("{" + entry("w", "Q4_K", "[1]", 0, 1) + "}", 1), "tensor 'w'", "unknown dtype 'Q4_K'");
        byte[] f64 = file("{" + entry("d", "F64", "[1]", 0, 8) + "}", 8);
        SafetensorsFile f = SafetensorsFile.of(MemorySegment.ofArray(f64), F);
        String message = assertThrows(LoadException.class, () -> f.tensor("d")).getMessage();
        assertEquals(F + ": tensor 'd' has dtype F64; supported: F32, BF16, F16, I32", message);
        assertEquals(F + ": no tensor named 'e'", assertThrows(LoadException.class, () -> f.tensor("e")).getMessage());
    }

    @Test
    void missingFilesAndDirectoriesAreNamed(@TempDir Path dir) throws IOException {
        Path absent = dir.resolve("absent.safetensors");
        assertEquals(absent + ": file not found", assertThrows(LoadException.class, () -> SafetensorsFile.open(absent)).getMessage());
        Path empty = Files.createFile(dir.resolve("empty.safetensors"));
        assertTrue(assertThrows(LoadException.class, () -> SafetensorsFile.open(empty)).getMessage().startsWith(empty + ": "));
    }
}
