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
