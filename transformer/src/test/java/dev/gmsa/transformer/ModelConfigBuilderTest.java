package dev.gmsa.transformer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigBuilderTest {
    private static ModelConfig.Builder small() {
        return ModelConfig.builder().hiddenSize(288).intermediateSize(768).numLayers(6).numHeads(6).vocabSize(8192);
    }

    @Test
    void theDefaultsAreAPlainLlama() {
        ModelConfig c = small().build();
        assertEquals(new ModelConfig("llama", 288, 768, 6, 6, 6, 48, 8192, 1e-5, 10000.0, null, 2048,
                false, false, false, false, false, List.of(), List.of(), "float32"), c);
    }

    @Test
    void namedFieldsOverrideTheDefaultsAndToBuilderKeepsTheRest() {
        ModelConfig qwen = small().architecture("qwen3").numKeyValueHeads(2).headDim(64).qkNorm(true).tieWordEmbeddings(true)
                .ropeTheta(1e6).eosTokenIds(1, 2).build();
        assertEquals(2, qwen.numKeyValueHeads());
        assertEquals(64, qwen.headDim());
        assertEquals(List.of(1, 2), qwen.eosTokenIds());
        assertEquals(qwen, qwen.toBuilder().build(), "a full round trip");
        ModelConfig longer = qwen.toBuilder().maxPositionEmbeddings(4096).build();
        assertEquals(4096, longer.maxPositionEmbeddings());
        assertEquals(qwen, longer.toBuilder().maxPositionEmbeddings(2048).build(), "only the named field changed");
    }

    @Test
    void aSizeLeftUnsetIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ModelConfig.builder().hiddenSize(64).numLayers(2).numHeads(2).vocabSize(10).build());
        assertTrue(e.getMessage().contains("intermediate_size"), e.getMessage());
    }
}
