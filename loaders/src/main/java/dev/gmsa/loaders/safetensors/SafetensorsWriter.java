package dev.gmsa.loaders.safetensors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gmsa.loaders.Json;
import dev.gmsa.loaders.AtomicFiles;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Writes tensors (any view, in their own dtype: F32, BF16, F16 or I32) and string metadata as a safetensors
 * file. Atomic: the bytes go to a temporary file beside the target, which is then renamed over it, so a crash
 * never leaves a half-written checkpoint under the real name.
 */
public final class SafetensorsWriter {
    /** Elements converted per chunk: bounds the extra memory for tensors of any size. */
    private static final int CHUNK = 1 << 20;

    private SafetensorsWriter() {}

    public static void write(Path file, Map<String, Tensor> tensors) {
        write(file, tensors, Map.of());
    }

    /** Tensors are written in the map's iteration order. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        byte[] header = headerBytes(tensors, metadata);
        AtomicFiles.writeFile(file, tmp -> {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, header.length));
                writeFully(out, ByteBuffer.wrap(header));
                for (Tensor t : tensors.values()) writeData(out, t);
            }
        });
    }

    /** The JSON header padded with spaces to a multiple of 8 bytes, so the data section starts aligned. */
    static byte[] headerBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(SafetensorsHeader.METADATA_KEY))
                throw new IllegalArgumentException("a tensor cannot be named " + SafetensorsHeader.METADATA_KEY);
            Tensor t = e.getValue();
            long bytes = (long) t.numel() * t.dtype().byteSize();
            ObjectNode entry = root.putObject(e.getKey());
            entry.put("dtype", TensorEntry.safetensorsName(t.dtype()));
            var shape = entry.putArray("shape");
            for (int d : t.shape()) shape.add(d);
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = root.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = java.util.Arrays.copyOf(json, padded);
        java.util.Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    /** Row-major elements of any view, converted chunk by chunk to little-endian bytes of its dtype. */
    private static void writeData(FileChannel out, Tensor t) throws IOException {
        Tensor flat = t.reshape(t.numel());
        DType dtype = t.dtype();
        for (int start = 0; start < flat.numel(); start += CHUNK) {
            Tensor chunk = flat.narrow(0, start, Math.min(CHUNK, flat.numel() - start));
            ByteBuffer buf = ByteBuffer.allocate(chunk.numel() * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            if (dtype == DType.I32) {
                for (int v : chunk.toIntArray()) buf.putInt(v);
            } else {
                for (float v : chunk.toFloatArray()) {
                    switch (dtype) {
                        case F32 -> buf.putFloat(v);
                        case BF16 -> buf.putShort(DType.floatToBf16(v)); // exact: v was widened from BF16
                        case F16 -> buf.putShort(Float.floatToFloat16(v));
                        case I32 -> throw new AssertionError();
                    }
                }
            }
            writeFully(out, buf.flip());
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) out.write(buf);
    }

}
