package dev.gmsa.loaders.safetensors;

import dev.gmsa.loaders.LoadException;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Damaged files either load (and every tensor reads) or fail with a LoadException: never another exception,
 * never a read outside the file. Damage: byte flips (mostly in the header), truncation, header edits
 * (numbers, dtypes, duplicated entries), and a wrong header length.
 */
class SafetensorsMutationProperties {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+");
    private static final String[] DTYPES = {"F32", "F16", "BF16", "I32", "F64", "I64", "U8", "BOOL", "F8_E4M3", "Q4", "", "f32"};
    private static final long[] NASTY = {-1, 0, 1, 7, 8, 255, 65535, Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 40,
            Long.MAX_VALUE, Long.MIN_VALUE};

    @Property(tries = 3000)
    void damagedFilesLoadOrThrowLoadException(@ForAll long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        byte[] valid = validFile(seed);
        byte[] damaged = switch (rng.nextInt(5)) {
            case 0 -> flipBytes(valid, rng);
            case 1 -> Arrays.copyOf(valid, rng.nextInt(valid.length + 1));
            case 2 -> editNumber(valid, rng);
            case 3 -> editHeader(valid, rng);
            default -> setHeaderLength(valid, rng);
        };
        if (rng.nextInt(20) == 0) loadFromDisk(damaged);
        else loadFromMemory(damaged);
    }

    private static void loadFromMemory(byte[] bytes) {
        SafetensorsFile f;
        try {
            f = SafetensorsFile.of(MemorySegment.ofArray(bytes), "damaged.safetensors");
        } catch (LoadException expected) {
            return;
        }
        loadEverything(f);
    }

    private static void loadFromDisk(byte[] bytes) throws IOException {
        Path file = Files.createTempFile("damaged", ".safetensors");
        try {
            Files.write(file, bytes);
            SafetensorsFile f;
            try {
                f = SafetensorsFile.open(file);
            } catch (LoadException expected) {
                return;
            }
            try (f) {
                loadEverything(f);
            }
        } finally {
            Files.delete(file);
        }
    }

    /** Reads every value of every tensor the engine supports; unsupported dtypes must refuse with LoadException. */
    private static void loadEverything(SafetensorsFile f) {
        for (String name : f.names()) {
            try {
                Tensor t = f.tensor(name);
                if (t.dtype() == DType.I32) t.toIntArray();
                else t.toFloatArray();
            } catch (LoadException expected) {
                if (f.entry(name).engineDType() != null) throw expected;
            }
        }
    }

    private static byte[] validFile(long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var tensors = RandomCheckpoints.tensors(seed);
        byte[] header = SafetensorsWriter.headerBytes(tensors, RandomCheckpoints.metadata(seed));
        long dataSize = tensors.values().stream().mapToLong(t -> (long) t.numel() * t.dtype().byteSize()).sum();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        byte[] data = new byte[(int) dataSize];
        new SplittableRandom(seed).nextBytes(data);
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] flipBytes(byte[] file, SplittableRandom rng) {
        byte[] out = file.clone();
        int headerEnd = (int) Math.min(out.length, 8 + ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        int flips = 1 + rng.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = rng.nextInt(5) > 0 ? rng.nextInt(headerEnd) : rng.nextInt(out.length);
            out[at] ^= (byte) (1 << rng.nextInt(8));
        }
        return out;
    }

    /** Replaces one number in the header (a dimension, an offset) with a nasty value, keeping the length field right. */
    private static byte[] editNumber(byte[] file, SplittableRandom rng) {
        String header = headerText(file);
        Matcher m = NUMBER.matcher(header);
        java.util.List<int[]> spans = new java.util.ArrayList<>();
        while (m.find()) spans.add(new int[] {m.start(), m.end()});
        if (spans.isEmpty()) return file;
        int[] span = spans.get(rng.nextInt(spans.size()));
        long value = rng.nextBoolean() ? NASTY[rng.nextInt(NASTY.length)] : rng.nextLong(-64, 4096);
        String edited = header.substring(0, span[0]) + (rng.nextInt(10) == 0 ? value + ".5" : value) + header.substring(span[1]);
        return withHeader(file, edited);
    }

    /** Changes a dtype, duplicates or drops an entry, or breaks the JSON syntax. */
    private static byte[] editHeader(byte[] file, SplittableRandom rng) {
        String header = headerText(file).trim();
        String edited = switch (rng.nextInt(4)) {
            case 0 -> header.replaceFirst("\"dtype\":\"[A-Z0-9]+\"", "\"dtype\":\"" + DTYPES[rng.nextInt(DTYPES.length)] + "\"");
            case 1 -> duplicateFirstEntry(header);
            case 2 -> header.replaceFirst("\"(shape|data_offsets|dtype)\"", "\"x\"");
            default -> header.substring(0, rng.nextInt(header.length() + 1)) + (rng.nextBoolean() ? "}" : "");
        };
        return withHeader(file, edited);
    }

    private static String duplicateFirstEntry(String header) {
        int start = header.indexOf("\"", 1);
        int end = header.indexOf("]}", start);
        if (start < 0 || end < 0) return header;
        String entry = header.substring(start, end + 2);
        return "{" + entry + "," + header.substring(1);
    }

    private static byte[] setHeaderLength(byte[] file, SplittableRandom rng) {
        byte[] out = file.clone();
        long length = rng.nextBoolean() ? NASTY[rng.nextInt(NASTY.length)] : rng.nextLong(0, file.length + 16);
        ByteBuffer.wrap(out, 0, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(length);
        return out;
    }

    private static String headerText(byte[] file) {
        int length = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(file, 8, length, StandardCharsets.UTF_8);
    }

    private static byte[] withHeader(byte[] file, String header) {
        int oldLength = (int) ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.writeBytes(json);
        out.write(file, 8 + oldLength, file.length - 8 - oldLength);
        return out.toByteArray();
    }
}
