package dev.gmsa.compress.pipeline;

import dev.gmsa.compress.model.CompressorSpec;
import dev.gmsa.loaders.PretrainedModel;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import dev.gmsa.transformer.tokenizer.Tokenizer;
import dev.gmsa.transformer.tokenizer.WordTokenizer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Tiny random model folders for pipeline tests: the embedded word vocabulary, or bytes; any width and context. */
final class TinyModels {
    static final ByteTokenizer BYTES = new ByteTokenizer(List.of(EmbeddedDefault.BOS, EmbeddedDefault.EOS));

    private TinyModels() {}

    /** A 2-layer LLaMA over the tokenizer's vocabulary (word or byte tokenizer, BOS/EOS as the embedded default names them). */
    static ModelConfig config(Tokenizer tokenizer, int hidden, int maxPositions) {
        int heads = Math.max(1, hidden / 32);
        int ffn = (int) (Math.round(hidden * 8 / 3.0 / 16) * 16);
        return ModelConfig.builder().hiddenSize(hidden).intermediateSize(ffn).numLayers(2).numHeads(heads)
                .vocabSize(tokenizer.vocabSize()).maxPositionEmbeddings(maxPositions)
                .tieWordEmbeddings(true).bosTokenIds(tokenizer.tokenId(EmbeddedDefault.BOS))
                .eosTokenIds(tokenizer.tokenId(EmbeddedDefault.EOS)).build();
    }

    /** A random model with real spread (N(0, 1/fan_in) matrices, N(0, 1) embeddings), so its logits are not flat. */
    static Path folder(Path dir, Tokenizer tokenizer, int hidden, int maxPositions, long seed) {
        ModelConfig c = config(tokenizer, hidden, maxPositions);
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (String name : Transformer.expectedNames(c)) {
            int[] shape = Transformer.shapeOf(c, name);
            w.put(name, shape.length == 1 ? Tensor.ones(shape)
                    : Tensor.randn(seed++, name.contains("embed") ? 1f : (float) (1 / Math.sqrt(shape[1])), shape));
        }
        PretrainedModel.save(dir, Transformer.fromWeights(c, w), tokenizer);
        return dir;
    }

    static Path wordModel(Path dir, int hidden, long seed) {
        return folder(dir, EmbeddedDefault.tokenizer(), hidden, 1024, seed);
    }

    static Path byteModel(Path dir, int hidden, long seed) {
        return folder(dir, BYTES, hidden, 1024, seed);
    }

    static GmsaManifest manifest(CompressorSpec spec, Path decoder, Path encoder, int window, int maxSoftTokens) {
        return GmsaManifest.of(spec, decoder.toString(), encoder.toString(), List.of(4), "Restate the aforementioned Text.", window, maxSoftTokens);
    }

    /** Moves every trainable compressor weight off its initial value (LoRA B starts at zero and would hide LoRA). */
    static void perturb(GmsaSystem s, float by) {
        s.compressor().trainableParameters().values().forEach(v -> v.value().copyFrom(v.value().add(by)));
    }

    static WordTokenizer words() {
        return EmbeddedDefault.tokenizer();
    }
}
