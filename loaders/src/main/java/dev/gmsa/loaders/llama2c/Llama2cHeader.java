package dev.gmsa.loaders.llama2c;

import dev.gmsa.loaders.LoadException;
import dev.gmsa.transformer.ModelConfig;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The header of a llama2.c checkpoint, in either of its two fp32 formats:
 * <ul>
 *   <li>legacy (v0, run.c): 7 int32 {@code dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len};
 *       a negative vocab_size means the classifier is not shared with the token embedding.</li>
 *   <li>version 1 (export.py {@code version1_export}): magic {@code 0x616b3432} ("ak42"), int32 version = 1,
 *       the same 7 int32, a uint8 shared_classifier flag, zero-padded to 256 bytes.</li>
 * </ul>
 *
 * @param version     0 for legacy, 1 for the "ak42" export
 * @param headerBytes where the weights begin
 */
public record Llama2cHeader(int version, int headerBytes, int dim, int hiddenDim, int numLayers, int numHeads,
                            int numKvHeads, int vocabSize, int seqLen, boolean sharedClassifier) {

    public static final int MAGIC = 0x616b3432;
    private static final int LEGACY_HEADER_BYTES = 7 * 4;
    private static final int V1_HEADER_BYTES = 256;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Reads and validates the header at the start of {@code file}; {@code source} names the file in errors. */
    public static Llama2cHeader read(MemorySegment file, String source) {
        if (file.byteSize() < 4) throw fail(source, file.byteSize() + " bytes is too short for a llama2.c checkpoint");
        if (file.get(INT, 0) != MAGIC) return legacy(file, source);
        if (file.byteSize() < V1_HEADER_BYTES)
            throw fail(source, "truncated: " + file.byteSize() + " bytes is shorter than the 256-byte version 1 header");
        int version = file.get(INT, 4);
        if (version == 2)
            throw fail(source, "version 2 (int8 Q8_0 quantized) checkpoints are not supported; export with --version 1 (fp32)");
        if (version != 1) throw fail(source, "unknown llama2.c checkpoint version " + version + " after the 'ak42' magic (supported: 1)");
        int[] p = params(file, 8);
        byte shared = file.get(ValueLayout.JAVA_BYTE, 8 + 7 * 4);
        if (shared != 0 && shared != 1) throw fail(source, "shared_classifier flag is " + shared + ", expected 0 or 1");
        return validated(new Llama2cHeader(1, V1_HEADER_BYTES, p[0], p[1], p[2], p[3], p[4], p[5], p[6], shared == 1), source);
    }

    private static Llama2cHeader legacy(MemorySegment file, String source) {
        if (file.byteSize() < LEGACY_HEADER_BYTES)
            throw fail(source, "truncated: " + file.byteSize() + " bytes is shorter than the 28-byte legacy llama2.c header");
        int[] p = params(file, 0);
        boolean shared = p[5] > 0; // run.c: a negative vocab_size flags an unshared classifier
        int vocab = p[5] == Integer.MIN_VALUE ? 0 : Math.abs(p[5]);
        return validated(new Llama2cHeader(0, LEGACY_HEADER_BYTES, p[0], p[1], p[2], p[3], p[4], vocab, p[6], shared), source);
    }

    private static int[] params(MemorySegment file, long at) {
        int[] p = new int[7];
        for (int i = 0; i < 7; i++) p[i] = file.get(INT, at + 4L * i);
        return p;
    }

    private static Llama2cHeader validated(Llama2cHeader h, String source) {
        String[] names = {"dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"};
        int[] values = {h.dim, h.hiddenDim, h.numLayers, h.numHeads, h.numKvHeads, h.vocabSize, h.seqLen};
        for (int i = 0; i < names.length; i++)
            if (values[i] <= 0) throw fail(source, "header " + names[i] + " = " + values[i] + " must be > 0 (" + h.describe() + "); not a llama2.c checkpoint?");
        if (h.dim % h.numHeads != 0) throw fail(source, "dim " + h.dim + " is not a multiple of n_heads " + h.numHeads);
        if (h.numHeads % h.numKvHeads != 0)
            throw fail(source, "n_heads " + h.numHeads + " is not a multiple of n_kv_heads " + h.numKvHeads);
        if (h.headSize() % 2 != 0) throw fail(source, "head size " + h.headSize() + " must be even for RoPE");
        return h;
    }

    private static LoadException fail(String source, String problem) {
        return new LoadException(source + ": " + problem);
    }

    public int headSize() {
        return dim / numHeads;
    }

    /** llama2.c's fixed choices: LLaMA-2 architecture, theta 10000, eps 1e-5, sentencepiece BOS 1 / EOS 2. */
    public ModelConfig toConfig() {
        return ModelConfig.builder().hiddenSize(dim).intermediateSize(hiddenDim).numLayers(numLayers)
                .numHeads(numHeads).numKeyValueHeads(numKvHeads).headDim(headSize())
                .vocabSize(vocabSize).maxPositionEmbeddings(seqLen)
                .tieWordEmbeddings(sharedClassifier).bosTokenIds(1).eosTokenIds(2).build();
    }

    public String describe() {
        return "dim=" + dim + " hidden_dim=" + hiddenDim + " n_layers=" + numLayers + " n_heads=" + numHeads
                + " n_kv_heads=" + numKvHeads + " vocab_size=" + vocabSize + " seq_len=" + seqLen
                + " shared_classifier=" + sharedClassifier;
    }
}
