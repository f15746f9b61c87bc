package dev.gmsa.compress.format;

import dev.gmsa.loaders.AtomicFiles;
import com.google.flatbuffers.FlatBufferBuilder;
import dev.gmsa.compress.format.fbs.ElementType;
import dev.gmsa.compress.format.fbs.ModelIdentity;
import dev.gmsa.compress.format.fbs.SoftTokens;
import dev.gmsa.compress.format.fbs.Window;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A compressed context on disk (FlatBuffers, schema gmsa/core/src/main/fbs/soft_tokens.fbs): which models made
 * it, the rate, and the soft tokens of each window. Written atomically; a file made for other models is refused.
 */
public record SoftTokenFile(Identity identity, int rate, DType elementType, int contextTokens, List<WindowTokens> windows) {
    public static final int FORMAT_VERSION = 1;

    /** The models soft tokens belong to. */
    public record Identity(String method, String compressorHash, String decoderHash, int hiddenSize) {}

    /** Soft tokens [count, hiddenSize] of the window that covered tokens [firstToken, firstToken + tokenCount). */
    public record WindowTokens(int firstToken, int tokenCount, Tensor softTokens) {}

    public SoftTokenFile {
        windows = List.copyOf(windows);
        if (elementType == DType.I32) throw new IllegalArgumentException("soft tokens are stored as F32, BF16 or F16, not I32");
        for (WindowTokens w : windows)
            if (w.softTokens().rank() != 2 || w.softTokens().size(1) != identity.hiddenSize())
                throw new IllegalArgumentException("window at token " + w.firstToken() + " has soft tokens " + w.softTokens()
                        + ", expected [n, " + identity.hiddenSize() + "]");
    }

    /** Throws unless these soft tokens were made for exactly the given models, naming what differs. */
    public void requireIdentity(Identity expected, Path file) {
        Identity got = identity;
        if (!got.method().equals(expected.method()))
            throw new IllegalArgumentException(file + ": made by method " + got.method() + ", this model is " + expected.method());
        if (!got.decoderHash().equals(expected.decoderHash()))
            throw new IllegalArgumentException(file + ": made for decoder " + shortHash(got.decoderHash()) + ", this decoder is "
                    + shortHash(expected.decoderHash()));
        if (!got.compressorHash().equals(expected.compressorHash()))
            throw new IllegalArgumentException(file + ": made by compressor " + shortHash(got.compressorHash()) + ", this compressor is "
                    + shortHash(expected.compressorHash()) + " (different encoder or trained weights)");
        if (got.hiddenSize() != expected.hiddenSize())
            throw new IllegalArgumentException(file + ": hidden size " + got.hiddenSize() + ", this decoder has " + expected.hiddenSize());
    }

    private static String shortHash(String h) {
        return h.length() > 12 ? h.substring(0, 12) : h;
    }

    /** All windows' soft tokens stacked: [total, hiddenSize]. */
    public Tensor allSoftTokens() {
        return Tensor.concat(0, windows.stream().map(WindowTokens::softTokens).toArray(Tensor[]::new));
    }

    // ---------------------------------------------------------------- writing

    public void write(Path file) throws IOException {
        FlatBufferBuilder b = new FlatBufferBuilder(1024);
        int identityOffset = ModelIdentity.createModelIdentity(b, b.createString(identity.method()),
                b.createString(identity.compressorHash()), b.createString(identity.decoderHash()), identity.hiddenSize());
        int[] windowOffsets = new int[windows.size()];
        for (int i = 0; i < windowOffsets.length; i++) {
            WindowTokens w = windows.get(i);
            int data = Window.createDataVector(b, encode(w.softTokens(), elementType));
            windowOffsets[i] = Window.createWindow(b, w.firstToken(), w.tokenCount(), w.softTokens().size(0), data);
        }
        int windowsVector = SoftTokens.createWindowsVector(b, windowOffsets);
        int root = SoftTokens.createSoftTokens(b, FORMAT_VERSION, identityOffset, rate, elementTypeCode(elementType), contextTokens, windowsVector);
        SoftTokens.finishSoftTokensBuffer(b, root);
        AtomicFiles.write(file, b.sizedByteArray());
    }

    private static byte[] encode(Tensor t, DType type) {
        float[] v = t.toFloatArray();
        ByteBuffer buf = ByteBuffer.allocate(v.length * type.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            switch (type) {
                case F32 -> buf.putFloat(x);
                case BF16 -> buf.putShort(DType.floatToBf16(x));
                case F16 -> buf.putShort(Float.floatToFloat16(x));
                case I32 -> throw new IllegalStateException();
            }
        }
        return buf.array();
    }

    private static byte elementTypeCode(DType t) {
        return switch (t) {
            case F32 -> ElementType.F32;
            case BF16 -> ElementType.BF16;
            case F16 -> ElementType.F16;
            case I32 -> throw new IllegalArgumentException("I32 soft tokens");
        };
    }

    // ---------------------------------------------------------------- reading

    public static SoftTokenFile read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 8 || !SoftTokens.SoftTokensBufferHasIdentifier(buf))
            throw new IllegalArgumentException(file + ": not a soft-token file (no GMST identifier)");
        try {
            SoftTokens root = SoftTokens.getRootAsSoftTokens(buf);
            if (root.formatVersion() != FORMAT_VERSION)
                throw new IllegalArgumentException(file + ": format version " + root.formatVersion() + ", this build reads " + FORMAT_VERSION);
            ModelIdentity id = root.identity();
            if (id == null) throw new IllegalArgumentException(file + ": no model identity");
            Identity identity = new Identity(id.method(), id.compressorHash(), id.decoderHash(), id.hiddenSize());
            DType type = switch (root.elementType()) {
                case ElementType.F32 -> DType.F32;
                case ElementType.BF16 -> DType.BF16;
                case ElementType.F16 -> DType.F16;
                default -> throw new IllegalArgumentException(file + ": unknown element type " + root.elementType());
            };
            List<WindowTokens> windows = new ArrayList<>();
            for (int i = 0; i < root.windowsLength(); i++) windows.add(readWindow(root.windows(i), identity.hiddenSize(), type, file, i));
            return new SoftTokenFile(identity, root.rate(), type, root.contextTokens(), windows);
        } catch (IndexOutOfBoundsException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException(file + ": truncated or corrupt soft-token file", e);
        }
    }

    private static WindowTokens readWindow(Window w, int hidden, DType type, Path file, int index) {
        int rows = w.softTokens();
        ByteBuffer data = w.dataAsByteBuffer();
        long expected = (long) rows * hidden * type.byteSize();
        if (rows < 0 || data == null || data.remaining() != expected)
            throw new IllegalArgumentException(file + ": window " + index + " holds " + (data == null ? 0 : data.remaining())
                    + " bytes, expected " + expected + " for " + rows + " x " + hidden + " " + type);
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[rows * hidden];
        for (int i = 0; i < v.length; i++) {
            v[i] = switch (type) {
                case F32 -> data.getFloat();
                case BF16 -> DType.bf16ToFloat(data.getShort());
                case F16 -> Float.float16ToFloat(data.getShort());
                case I32 -> throw new IllegalStateException();
            };
        }
        return new WindowTokens(w.firstToken(), w.tokenCount(), Tensor.of(v, rows, hidden));
    }
}
