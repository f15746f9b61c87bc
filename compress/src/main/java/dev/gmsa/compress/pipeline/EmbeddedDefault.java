package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.data.SyntheticStories;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.tokenizer.ByteTokenizer;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The model the demo needs no download for: a small byte-level LLaMA the engine pre-trains itself on
 * generated stories. Part of its pre-training text is "[text] instruction [the same text]", so the decoder
 * learns to copy text it is shown, the ability autoencoding builds on (as a pretrained LLM has it).
 */
public final class EmbeddedDefault {
    public static final String INSTRUCTION = " Restate the aforementioned Text. ";
    public static final String BOS = "<s>", EOS = "</s>";

    private EmbeddedDefault() {}

    public static ByteTokenizer tokenizer() {
        return new ByteTokenizer(List.of(BOS, EOS));
    }

    /** A LLaMA of the given width and depth over the byte vocabulary. */
    public static ModelConfig config(int hidden, int layers) {
        int heads = Math.max(1, hidden / 32);
        int ffn = (int) (Math.round(hidden * 8 / 3.0 / 16) * 16);
        ByteTokenizer t = tokenizer();
        return new ModelConfig("llama", hidden, ffn, layers, heads, heads, hidden / heads, t.vocabSize(), 1e-5, 10000.0, null,
                1024, true, false, false, false, false, List.of(t.tokenId(BOS)), List.of(t.tokenId(EOS)), "float32");
    }

    /** A story of roughly {@code bytes} bytes, cut at a word boundary. */
    public static String text(SplittableRandom rng, int bytes) {
        String s = SyntheticStories.story(rng, bytes / 20 + 2);
        if (s.length() <= bytes) return s;
        int cut = s.lastIndexOf(' ', bytes);
        return s.substring(0, cut > bytes / 2 ? cut : bytes);
    }

    /**
     * One pre-training sequence of about {@code length} tokens: plain stories, or (with probability
     * copyFraction) text, the instruction, the same text again and EOS.
     */
    public static int[] pretrainingSequence(SplittableRandom rng, int length, double copyFraction) {
        ByteTokenizer t = tokenizer();
        if (rng.nextDouble() >= copyFraction) return fit(t.encode(text(rng, length + 40)), length, t);
        int textBytes = Math.max(8, (length - INSTRUCTION.length() - 1) / 2);
        String text = text(rng, 8 + rng.nextInt(textBytes - 7));
        int[] a = t.encode(text), ins = t.encode(INSTRUCTION);
        int[] seq = new int[a.length * 2 + ins.length + 1];
        System.arraycopy(a, 0, seq, 0, a.length);
        System.arraycopy(ins, 0, seq, a.length, ins.length);
        System.arraycopy(a, 0, seq, a.length + ins.length, a.length);
        seq[seq.length - 1] = t.tokenId(EOS);
        return fit(seq, length, t);
    }

    /** Cuts or pads (with EOS) to exactly {@code length} tokens. */
    private static int[] fit(int[] ids, int length, ByteTokenizer t) {
        int[] out = new int[length];
        java.util.Arrays.fill(out, t.tokenId(EOS));
        System.arraycopy(ids, 0, out, 0, Math.min(length, ids.length));
        return out;
    }
}
