package dev.gmsa.compress.model;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.compress.pipeline.Methods;
import dev.gmsa.compress.train.KeftTraining;
import dev.gmsa.compress.train.TrainingLoop;
import dev.gmsa.transformer.Linear;
import dev.gmsa.transformer.Transformer;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.gmsa.compress.model.TinyModels.CONFIG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a few KEFT steps, exactly the parameters of the mode changed: QKV (the paper) moves the W_Q, W_K, W_V
 * deltas of every layer; WHOLE_DECODER (the authors' released code) moves a delta on every linear layer of every
 * block. The checkpoint weights, the encoder (with its LoRA) and LSA stay as they were, and so do the soft tokens.
 */
class KeftModeTest {
    private static final List<String> ALL = List.of("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj",
            "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj");
    private static final List<String> QKV = ALL.subList(0, 3);
    private static final int[] CONTEXT = {3, 14, 15, 9, 2, 6, 5, 35, 8, 9, 7, 9, 3, 2};

    @Test
    void qkvTrainsOnlyTheQueryKeyAndValueDeltas() {
        checkKeft(KeftMode.QKV, QKV);
    }

    @Test
    void wholeDecoderTrainsADeltaOnEveryLinearLayerOfEveryBlock() {
        checkKeft(KeftMode.WHOLE_DECODER, ALL);
    }

    private static void checkKeft(KeftMode mode, List<String> trained) {
        Transformer decoder = TinyModels.decoder(41);
        Compressor compressor = new Compressor(Methods.spec("gmsa", 2, 1, new LoraSettings(2, 4f, 0.1f, List.of("q_proj", "v_proj"))),
                CONFIG, TinyModels.tensorsOf(decoder), decoder, 16, 7);
        // as after autoencoder training: LoRA no longer zero, so a changed adapter would show in the soft tokens
        long seed = 500;
        for (Var v : compressor.trainableParameters().values())
            if (v.name().endsWith("lora_B.weight")) v.value().copyFrom(dev.gmsa.tensor.Tensor.randn(seed++, 0.3f, v.shape()));
        Map<String, float[]> decoderBefore = snapshot(decoder.parameters()), compressorBefore = snapshot(compressor.trainableParameters());
        float[] softBefore;
        try (var noGrad = Grad.disabled()) {
            softBefore = compressor.compress(CONTEXT, 4).value().toFloatArray();
        }

        Map<String, Var> deltas = mode.attach(decoder);
        TreeSet<String> expectedNames = new TreeSet<>();
        for (int layer = 0; layer < CONFIG.numLayers(); layer++)
            for (String proj : trained) expectedNames.add("decoder.model.layers." + layer + "." + proj + ".delta");
        assertEquals(expectedNames, new TreeSet<>(deltas.keySet()), mode + " trainable parameters");
        Map<String, Linear> linears = decoder.linears(CONFIG.numLayers());
        linears.forEach((name, linear) -> assertEquals(trained.contains(name.substring(name.indexOf('.', "model.layers.".length()) + 1)) ? 1 : 0,
                linear.adapters().size(), mode + ": adapters on " + name));
        assertTrue(decoder.parameters().values().stream().noneMatch(Var::requiresGrad), mode + ": every checkpoint weight is frozen");

        List<KeftTraining.Example> examples = List.of(
                new KeftTraining.Example(CONTEXT, new int[] {1, 2}, new int[] {5, 6, 7}),
                new KeftTraining.Example(java.util.Arrays.copyOf(CONTEXT, 9), new int[] {1, 4}, new int[] {8, 30}));
        var settings = TrainingLoop.Settings.of(4, 1e-2f).warmup(1).clip(2f).seed(3);
        float[] losses = KeftTraining.train("keft", compressor, decoder, deltas, examples, new KeftTraining.Task(2, 4, 16, TinyModels.EOS),
                settings, null).losses();
        assertTrue(losses[3] < losses[0], mode + ": the answer loss falls, " + losses[0] + " -> " + losses[3]);

        for (var e : deltas.entrySet()) {
            double moved = TinyModels.maxAbsDifference(e.getValue().value().toFloatArray(), new float[(int) e.getValue().value().numel()]);
            assertTrue(moved > 1e-4, mode + ": " + e.getKey() + " changed (max |delta| " + moved + ")");
        }
        decoder.parameters().forEach((name, v) -> assertArrayEquals(decoderBefore.get(name), v.value().toFloatArray(), mode + ": frozen " + name));
        compressor.trainableParameters().forEach((name, v) -> {
            assertArrayEquals(compressorBefore.get(name), v.value().toFloatArray(), mode + ": frozen compressor parameter " + name);
            assertNull(v.grad(), mode + ": no gradient reaches " + name);
        });
        try (var noGrad = Grad.disabled()) {
            // the same up to the last bit, which the JIT may move once it compiles the Vector API reductions
            TinyModels.assertClose(softBefore, compressor.compress(CONTEXT, 4).value().toFloatArray(), 1e-5f,
                    mode + ": the encoder and LSA compute the same soft tokens after KEFT");
        }
    }

    private static Map<String, float[]> snapshot(Map<String, Var> params) {
        Map<String, float[]> out = new LinkedHashMap<>();
        params.forEach((name, v) -> out.put(name, v.value().toFloatArray()));
        return out;
    }
}
