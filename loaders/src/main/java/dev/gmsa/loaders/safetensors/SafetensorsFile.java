package dev.gmsa.loaders.safetensors;

import dev.gmsa.loaders.LoadException;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Storage;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.CpuStorage;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A safetensors file, memory-mapped: {@code [u64 little-endian header length N][N bytes JSON header][data]}.
 * Tensors are views over the mapped bytes (no copy). The mapping lives until {@link #close()}; a tensor used
 * after that throws IllegalStateException instead of reading freed memory. F32/BF16/F16 tensors read the mapping
 * in place; I32 tensors (rare: no weights) are copied to the heap.
 */
public final class SafetensorsFile implements AutoCloseable {
    private final String source;
    private final MemorySegment data;
    private final SafetensorsHeader header;
    private final Map<String, TensorEntry> entries = new LinkedHashMap<>();
    private final Arena arena;

    private SafetensorsFile(String source, MemorySegment file, Arena arena) {
        this.source = source;
        this.arena = arena;
        if (file.byteSize() < 8) throw new LoadException(source + ": " + file.byteSize() + " bytes is too short for a safetensors file");
        long headerLength = file.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (headerLength < 0 || headerLength > file.byteSize() - 8 || headerLength > SafetensorsHeader.MAX_HEADER_BYTES)
            throw new LoadException(source + ": header length " + Long.toUnsignedString(headerLength) + " does not fit a file of "
                    + file.byteSize() + " bytes (limit " + SafetensorsHeader.MAX_HEADER_BYTES + ")");
        byte[] json = file.asSlice(8, headerLength).toArray(ValueLayout.JAVA_BYTE);
        this.data = file.asSlice(8 + headerLength);
        this.header = SafetensorsHeader.parse(json, data.byteSize(), source);
        for (TensorEntry e : header.tensors()) entries.put(e.name(), e);
    }

    /** Maps a file; the caller closes it. */
    public static SafetensorsFile open(Path file) {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return new SafetensorsFile(file.toString(), mapped, arena);
        } catch (NoSuchFileException e) {
            arena.close();
            throw LoadException.of(file, "file not found");
        } catch (IOException e) {
            arena.close();
            throw LoadException.of(file.toString(), "cannot map: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /** Reads safetensors bytes already in memory (tests, downloads); {@code source} names them in errors. */
    public static SafetensorsFile of(MemorySegment bytes, String source) {
        return new SafetensorsFile(source, bytes, null);
    }

    public String source() {
        return source;
    }

    public Set<String> names() {
        return entries.keySet();
    }

    public List<TensorEntry> entries() {
        return header.tensors();
    }

    public Map<String, String> metadata() {
        return header.metadata();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public TensorEntry entry(String name) {
        TensorEntry e = entries.get(name);
        if (e == null) throw new LoadException(source + ": no tensor named '" + name + "'");
        return e;
    }

    /** A tensor reading the file's bytes in place. */
    public Tensor tensor(String name) {
        TensorEntry e = entry(name);
        DType dtype = e.engineDType();
        if (dtype == null)
            throw new LoadException(source + ": tensor '" + name + "' has dtype " + e.dtype() + "; supported: F32, BF16, F16, I32");
        int[] shape = e.shape();
        MemorySegment bytes = data.asSlice(e.begin(), e.byteLength());
        Storage storage = dtype == DType.I32
                // copied: CpuStorage reads segment-backed I32 through float, which loses integers above 2^24
                ? CpuBackend.instance().upload(bytes.toArray(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN)))
                : CpuStorage.wrap(CpuBackend.instance(), bytes, dtype);
        return new Tensor(storage, shape, Shape.contiguousStrides(shape), 0);
    }

    /** Every tensor by name, in header order. */
    public Map<String, Tensor> tensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : entries.keySet()) out.put(name, tensor(name));
        return out;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
