package dev.gmsa.compress.pipeline;

import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import dev.gmsa.transformer.tokenizer.WordTokenizer;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** How well a pre-trained embedded decoder restates text it is shown (greedy): the skill autoencoding needs. */
public final class CopyCheck {
    private CopyCheck() {}

    /**
     * Teacher-forced copy accuracy: over held-out "[text] instruction [text]" sequences, the fraction of tokens of
     * the second copy the decoder predicts right (argmax). Finer-grained than exact greedy restatement.
     */
    public static double copyTokenAccuracy(Transformer decoder, int n, int tokens, long seed) {
        WordTokenizer t = EmbeddedDefault.tokenizer();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] ins = t.encode(EmbeddedDefault.INSTRUCTION);
        long right = 0, total = 0;
        try (var noGrad = dev.gmsa.autograd.Grad.disabled()) {
            for (int i = 0; i < n; i++) {
                int[] a = EmbeddedDefault.storyTokens(rng, tokens);
                int[] seq = new int[a.length * 2 + ins.length];
                System.arraycopy(a, 0, seq, 0, a.length);
                System.arraycopy(ins, 0, seq, a.length, ins.length);
                System.arraycopy(a, 0, seq, a.length + ins.length, a.length);
                var logits = decoder.forward(dev.gmsa.tensor.Tensor.ofInts(seq, 1, seq.length), 0, null).value();
                int[] predicted = logits.argmax(-1, false).toIntArray();
                for (int k = 0; k < a.length; k++) {
                    int position = a.length + ins.length - 1 + k; // predicts seq[position + 1] = a[k]
                    if (predicted[position] == a[k]) right++;
                    total++;
                }
            }
        }
        return right / (double) total;
    }

    /** Fraction of held-out texts restated exactly, over {@code n} texts of {@code tokens} tokens. */
    public static double exactCopyRate(Transformer decoder, int n, int tokens, long seed) {
        WordTokenizer t = EmbeddedDefault.tokenizer();
        SplittableRandom rng = new SplittableRandom(seed);
        Generator g = new Generator(decoder, t);
        int exact = 0;
        for (int i = 0; i < n; i++) {
            String text = t.decode(EmbeddedDefault.storyTokens(rng, tokens));
            int[] prompt = t.encode(text + EmbeddedDefault.INSTRUCTION);
            var req = new Generator.Request(tokens + 8, SamplingSettings.greedyDecoding(), Set.of(t.tokenId(EmbeddedDefault.EOS)), List.of());
            String out = g.generate(prompt, req, null).text();
            if (out.equals(text)) exact++;
            if (i < 3 && Boolean.getBoolean("gmsa.debugCopy")) System.err.println("copy: [" + text + "] -> [" + out + "]");
        }
        return exact / (double) n;
    }
}
