package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny random LLaMAs with real spread, and float comparisons, for the architecture tests of this package. */
final class TinyModels {
    /** 3 layers, width 32, 4 query heads over 2 KV heads, 40 tokens (EOS 39). */
    static final ModelConfig CONFIG = ModelConfig.builder().hiddenSize(32).intermediateSize(64).numLayers(3).numHeads(4)
            .numKeyValueHeads(2).headDim(8).vocabSize(40).maxPositionEmbeddings(128)
            .tieWordEmbeddings(true).eosTokenIds(39).build();
    static final int EOS = 39;

    private TinyModels() {}

    /**
     * Weights with spread: N(0, 1/fan_in) matrices, N(0, 1) embeddings and norm weights 1 + N(0, 0.3), so that a
     * missing norm, a missing layer or an extra one moves the outputs by far more than rounding.
     */
    static Map<String, Tensor> weights(ModelConfig config, long seed) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        for (String name : Transformer.expectedNames(config)) {
            int[] shape = Transformer.shapeOf(config, name);
            if (shape.length == 1) w.put(name, Tensor.randn(seed++, 0.3f, shape).add(1f));
            else w.put(name, Tensor.randn(seed++, name.contains("embed") ? 1f : (float) (1 / Math.sqrt(shape[1])), shape));
        }
        return w;
    }

    static Transformer decoder(long seed) {
        return Transformer.fromWeights(CONFIG, weights(CONFIG, seed));
    }

    /** The decoder's own tensors by name (what GmsaSystem hands the compressor when encoder = decoder). */
    static Map<String, Tensor> tensorsOf(Transformer model) {
        Map<String, Tensor> w = new LinkedHashMap<>();
        model.parameters().forEach((name, v) -> w.put(name, v.value()));
        return w;
    }

    static float[] values(Var v) {
        return v.value().contiguous().toFloatArray();
    }

    static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tolerance * Math.max(1f, Math.abs(expected[i])), what + " at " + i);
    }

    static double maxAbsDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
        return max;
    }

    /** The comparison means something: the two differ by more than {@code atLeast} somewhere. */
    static void assertFarApart(float[] a, float[] b, double atLeast, String what) {
        double d = maxAbsDifference(a, b);
        assertTrue(d > atLeast, what + ": expected a difference above " + atLeast + ", got " + d);
    }
}
