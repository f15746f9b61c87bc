package dev.gmsa.loaders;

import dev.gmsa.autograd.Grad;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Llama3RopeScaling;
import dev.gmsa.transformer.ModelConfig;
import dev.gmsa.transformer.Transformer;
import dev.gmsa.transformer.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PretrainedModelTest {
    @Test
    void aSavedModelFolderLoadsBackWithTheSameConfigWeightsAndTokenizer(@TempDir Path dir) {
        ModelConfig config = ModelConfig.builder().hiddenSize(16).intermediateSize(32).numLayers(2).numHeads(2)
                .numKeyValueHeads(1).headDim(8).vocabSize(258).ropeTheta(500000.0)
                .ropeScaling(new Llama3RopeScaling(8, 1, 4, 64)).maxPositionEmbeddings(128)
                .bosTokenIds(256).eosTokenIds(257).build();
        Transformer model = Transformer.randomInit(config, 3);
        PretrainedModel.save(dir, model, new ByteTokenizer(List.of("<s>", "</s>")));
        try (PretrainedModel back = PretrainedModel.load(dir); var noGrad = Grad.disabled()) {
            assertEquals(config, back.config());
            model.parameters().forEach((name, v) ->
                    assertArrayEquals(v.value().toFloatArray(), back.model().parameters().get(name).value().toFloatArray(), name));
            // mapped weights take another kernel path (summation order), so logits agree to rounding, not bit for bit
            Tensor ids = Tensor.ofInts(new int[] {5, 9, 200, 1}, 1, 4);
            assertTrue(back.model().forward(ids, 0, null).value().allClose(model.forward(ids, 0, null).value(), 1e-5f, 1e-6f));
            assertEquals("</s>", back.tokenizer().token(257));
            assertArrayEquals(new int[] {104, 105}, back.tokenizer().encode("hi"));
        }
    }

    @Test
    void aMissingFolderIsNamedInTheError(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        var e = assertThrows(LoadException.class, () -> PretrainedModel.load(missing));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertTrue(Files.notExists(missing));
    }
}
