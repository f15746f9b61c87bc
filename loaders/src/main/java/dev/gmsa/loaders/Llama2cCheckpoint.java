package dev.gmsa.loaders;

import dev.gmsa.loaders.llama2c.Llama2cHeader;
import dev.gmsa.loaders.llama2c.Llama2cLayout;
import dev.gmsa.loaders.llama2c.RotaryRowPermutation;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.CpuStorage;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A llama2.c fp32 checkpoint ({@code .bin}, legacy or version 1), memory-mapped and presented with Hugging Face
 * weight names and layout, so {@link Transformer#fromWeights} runs it unchanged. Weights are views over the mapping,
 * except q_proj and k_proj, which are copied to the heap with their rows permuted from llama2.c's interleaved RoPE
 * layout to Hugging Face's rotate-half layout. The mapping lives until {@link #close()}.
 */
public final class Llama2cCheckpoint implements AutoCloseable {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Llama2cHeader header;
    private final Map<String, Tensor> tensors;
    private final Arena arena;

    private Llama2cCheckpoint(Llama2cHeader header, Map<String, Tensor> tensors, Arena arena) {
        this.header = header;
        this.tensors = tensors;
        this.arena = arena;
    }

    /** Maps a checkpoint; the caller closes it (tensors used afterwards throw IllegalStateException). */
    public static Llama2cCheckpoint open(Path file) {
        return open(file, Arena.ofShared());
    }

    /** A ready model whose mapping is freed once the model is unreachable. */
    public static Transformer loadTransformer(Path file) {
        Llama2cCheckpoint checkpoint = open(file, Arena.ofAuto());
        return Transformer.fromWeights(checkpoint.config(), checkpoint.tensors());
    }

    /** Reads checkpoint bytes already in memory; {@code source} names them in errors. */
    public static Llama2cCheckpoint of(MemorySegment bytes, String source) {
        return parse(bytes, source, null);
    }

    private static Llama2cCheckpoint open(Path file, Arena arena) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            return parse(mapped, file.toString(), arena);
        } catch (NoSuchFileException e) {
            closeQuietly(arena);
            throw LoadException.of(file, "file not found");
        } catch (IOException e) {
            closeQuietly(arena);
            throw LoadException.of(file.toString(), "cannot map: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(arena);
            throw e;
        }
    }

    private static void closeQuietly(Arena arena) {
        if (arena.scope().isAlive()) {
            try {
                arena.close();
            } catch (UnsupportedOperationException automatic) {
                // an automatic arena is freed by the garbage collector
            }
        }
    }

    private static Llama2cCheckpoint parse(MemorySegment file, String source, Arena arena) {
        Llama2cHeader header = Llama2cHeader.read(file, source);
        var groups = Llama2cLayout.of(header);
        long expected;
        try {
            expected = Math.addExact(header.headerBytes(), Math.multiplyExact(4, Llama2cLayout.totalFloats(groups)));
        } catch (ArithmeticException overflow) {
            throw new LoadException(source + ": header (" + header.describe() + ") describes more weights than any file can hold");
        }
        if (file.byteSize() < expected)
            throw new LoadException(source + ": truncated: " + file.byteSize() + " bytes, but the " + formatName(header)
                    + " header (" + header.describe() + ") needs " + expected);
        if (file.byteSize() > expected)
            throw new LoadException(source + ": sizes do not add up: " + file.byteSize() + " bytes, but the " + formatName(header)
                    + " header (" + header.describe() + ") accounts for " + expected + "; wrong format or corrupt file");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        long at = header.headerBytes();
        for (Llama2cLayout.Group g : groups) {
            long bytes = 4 * g.floatsPerLayer();
            if (g.hfName() != null)
                for (int layer = 0; layer < g.layers(); layer++)
                    tensors.put(g.nameFor(layer), tensor(file.asSlice(at + layer * bytes, bytes), g.nameFor(layer), header, g.shape()));
            at += bytes * g.layers();
        }
        return new Llama2cCheckpoint(header, inCheckpointOrder(tensors, header.toConfig()), arena);
    }

    /** The Hugging Face order, so the weights list like a safetensors checkpoint's. */
    private static Map<String, Tensor> inCheckpointOrder(Map<String, Tensor> byFileOrder, ModelConfig config) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : Transformer.expectedNames(config)) out.put(name, byFileOrder.get(name));
        return out;
    }

    private static String formatName(Llama2cHeader h) {
        return h.version() == 0 ? "legacy" : "version " + h.version();
    }

    /** A view over the mapped floats, or for q/k a heap copy with rows in rotate-half order. */
    private static Tensor tensor(MemorySegment floats, String name, Llama2cHeader h, int[] shape) {
        boolean query = name.endsWith("q_proj.weight"), key = name.endsWith("k_proj.weight");
        if (query || key) {
            int heads = query ? h.numHeads() : h.numKvHeads();
            float[] rows = RotaryRowPermutation.interleavedToHalfSplit(floats.toArray(FLOAT), heads, h.headSize(), h.dim());
            return Tensor.of(rows, shape);
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) return Tensor.of(floats.toArray(FLOAT), shape);
        return new Tensor(CpuStorage.wrap(CpuBackend.instance(), floats, DType.F32), shape, Shape.contiguousStrides(shape), 0);
    }

    /** 0 for the legacy format, 1 for the "ak42" version 1 export. */
    public int version() {
        return header.version();
    }

    public Llama2cHeader header() {
        return header;
    }

    /** llama2.c's hyper-parameters as a LLaMA config: theta 10000, eps 1e-5, tied embeddings unless the file says not. */
    public ModelConfig config() {
        return header.toConfig();
    }

    /** Every weight by its Hugging Face name in {@link Transformer#expectedNames} order (lm_head.weight only when not shared). */
    public Map<String, Tensor> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    @Override
    public void close() {
        if (arena != null) closeQuietly(arena);
    }
}
