package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.gmsa.compress.model.TinyModels.CONFIG;
import static dev.gmsa.compress.model.TinyModels.assertFarApart;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LSA starts as a copy of the decoder's first k blocks (an independent, trainable copy); gmsa-random-lsa does not. */
class LsaInitialisationTest {
    private static final LoraSettings LORA = new LoraSettings(2, 4f, 0f, List.of("q_proj", "v_proj"));

    /** The decoder weight names of blocks [0, k). */
    private static TreeSet<String> blockNames(int k) {
        TreeSet<String> names = new TreeSet<>();
        for (String n : Transformer.expectedNames(CONFIG))
            for (int layer = 0; layer < k; layer++) if (n.startsWith("model.layers." + layer + ".")) names.add(n);
        return names;
    }

    private static TreeSet<String> lsaNames(Compressor c) {
        TreeSet<String> names = new TreeSet<>();
        for (String n : c.trainableParameters().keySet()) if (n.startsWith("lsa.")) names.add(n.substring("lsa.".length()));
        return names;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void lsaIsACopyOfTheDecodersFirstKBlocks(int k) {
        Transformer decoder = TinyModels.decoder(21);
        Compressor c = new Compressor(Methods.spec("gmsa", 1, k, LORA), CONFIG, TinyModels.tensorsOf(decoder), decoder, 16, 4);
        assertEquals(blockNames(k), lsaNames(c), "one LSA weight per weight of the decoder's first " + k + " blocks");
        Map<String, Var> decoderParams = decoder.parameters();
        for (String name : lsaNames(c)) {
            Var lsa = c.trainableParameters().get("lsa." + name);
            assertArrayEquals(decoderParams.get(name).value().toFloatArray(), lsa.value().toFloatArray(), "lsa." + name);
            assertTrue(lsa.requiresGrad(), "lsa." + name + " is trained");
        }
        // a copy, not the decoder's own tensor: training LSA leaves the frozen decoder alone
        String q = "model.layers.0.self_attn.q_proj.weight";
        float[] before = decoderParams.get(q).value().toFloatArray();
        Var lsaQ = c.trainableParameters().get("lsa." + q);
        lsaQ.value().copyFrom(lsaQ.value().add(1f));
        assertArrayEquals(before, decoderParams.get(q).value().toFloatArray(), "the decoder's block is not shared with LSA");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void randomLsaHasTheShapesButNotTheWeightsOfTheDecodersBlocks(int k) {
        Transformer decoder = TinyModels.decoder(22);
        Compressor c = new Compressor(Methods.spec("gmsa-random-lsa", 1, k, LORA), CONFIG, TinyModels.tensorsOf(decoder), decoder, 16, 4);
        assertEquals(blockNames(k), lsaNames(c));
        for (String name : lsaNames(c)) {
            Tensor lsa = c.trainableParameters().get("lsa." + name).value(), source = decoder.parameters().get(name).value();
            assertArrayEquals(source.shape(), lsa.shape(), name);
            if (name.endsWith("layernorm.weight")) {
                // RMSNorm weights start at one (the decoder's are 1 + noise here)
                for (float v : lsa.toFloatArray()) assertEquals(1f, v, name);
            } else {
                assertFarApart(source.toFloatArray(), lsa.toFloatArray(), 0.1, "random lsa." + name + " vs the decoder's");
            }
            assertFarApart(source.toFloatArray(), lsa.toFloatArray(), 0.05, "random lsa." + name + " is no copy");
        }
    }
}
