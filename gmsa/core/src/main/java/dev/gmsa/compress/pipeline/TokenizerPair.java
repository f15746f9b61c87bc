package dev.gmsa.compress.pipeline;

import dev.gmsa.transformer.tokenizer.Tokenizer;

import java.util.Objects;

/**
 * The encoder's and the decoder's tokenizers, which differ when the two come from different checkpoints (the
 * paper's "w/ Qwen2" row). The rule: a context goes into the encoder as the encoder tokenizer's ids; everything
 * the decoder reads or predicts (instruction, question, answer, reconstruction targets) is the decoder
 * tokenizer's ids. Ids cross from one side to the other through their text.
 */
public record TokenizerPair(Tokenizer encoder, Tokenizer decoder) {
    public TokenizerPair {
        Objects.requireNonNull(encoder, "encoder tokenizer");
        Objects.requireNonNull(decoder, "decoder tokenizer");
    }

    /** The pair, collapsed to one tokenizer when both give the same ids (so no text round trip is ever made). */
    public static TokenizerPair of(Tokenizer encoder, Tokenizer decoder) {
        TokenizerPair pair = new TokenizerPair(encoder, decoder);
        return pair.isShared() ? shared(decoder) : pair;
    }

    /** One tokenizer on both sides (one checkpoint). */
    public static TokenizerPair shared(Tokenizer tokenizer) {
        return new TokenizerPair(tokenizer, tokenizer);
    }

    /** Whether both sides give the same ids for every text: the same tokenizer, or the same class and vocabulary. */
    public boolean isShared() {
        if (encoder == decoder) return true;
        if (encoder.getClass() != decoder.getClass() || encoder.vocabSize() != decoder.vocabSize()) return false;
        for (int id = 0; id < encoder.vocabSize(); id++)
            if (!Objects.equals(encoder.token(id), decoder.token(id))) return false;
        return true;
    }

    /** Encoder-tokenizer ids of a text -> the decoder tokenizer's ids of the same text. */
    public int[] toDecoder(int[] encoderIds) {
        return encoder == decoder ? encoderIds : decoder.encode(encoder.decode(encoderIds));
    }

    /** Decoder-tokenizer ids of a text -> the encoder tokenizer's ids of the same text. */
    public int[] toEncoder(int[] decoderIds) {
        return encoder == decoder ? decoderIds : encoder.encode(decoder.decode(decoderIds));
    }
}
