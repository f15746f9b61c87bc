package dev.gmsa.transformer;

import dev.gmsa.autograd.Grad;
import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.AdamW;
import dev.gmsa.autograd.optim.GradClip;
import dev.gmsa.autograd.optim.ParamGroup;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.device.DeviceBackend;
import dev.gmsa.tensor.device.TransferStats;
import dev.gmsa.tensor.opencl.OpenClBackend;
import dev.gmsa.transformer.generate.Generator;
import dev.gmsa.transformer.generate.SamplingSettings;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device path's promise, counted on PoCL: one training step (forward, backward, gradient clipping, AdamW) of a
 * tiny LLaMA copies only its input and target ids to the device and the loss back, and one greedy decoding step
 * copies one id each way. Everything else (masks, counts, gradient scales, norms) is made and kept on the device.
 */
class DeviceTransferCountTest {
    private static final ModelConfig TINY = ModelConfig.builder().hiddenSize(32).intermediateSize(64).numLayers(2).numHeads(4)
            .numKeyValueHeads(2).headDim(8).vocabSize(50).maxPositionEmbeddings(64).build();
    private static final int[] IDS = {3, 17, 42, 8, 8, 23, 1, 49, 30, 12, 5, 6};

    private static DeviceBackend device;

    @BeforeAll
    static void openDevice() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) Assumptions.assumeTrue(OpenClBackend.available(), "no OpenCL driver on this machine (CI installs PoCL)");
        device = OpenClBackend.open(0);
    }

    @Test
    void aTrainingStepCopiesOnlyTheIdsInAndTheLossOut() {
        Backends.run(device, () -> {
            Transformer model = Transformer.randomInit(TINY, 7);
            List<Var> params = new ArrayList<>(model.parameters().values());
            AdamW optimizer = new AdamW(List.of(new ParamGroup(params, 1e-2f, 0.01f)));
            float first = trainStep(model, params, optimizer); // compiles the kernels, allocates AdamW's moments
            TransferStats.Snapshot before = device.transferStats().snapshot();
            float second = trainStep(model, params, optimizer);
            TransferStats.Snapshot step = device.transferStats().snapshot().minus(before);
            assertEquals(new TransferStats.Snapshot(2, 2L * 11 * Integer.BYTES, 1, Float.BYTES), step,
                    "one step: input and target ids in, the loss out; measured " + step);
            assertTrue(second < first, "the step trained: " + first + " -> " + second);
        });
    }

    private static float trainStep(Transformer model, List<Var> params, AdamW optimizer) {
        optimizer.zeroGrad();
        Tensor inputs = Tensor.ofInts(Arrays.copyOf(IDS, 11), 1, 11), targets = Tensor.ofInts(Arrays.copyOfRange(IDS, 1, 12));
        Var loss = model.forward(inputs, 0, null).reshape(11, -1).crossEntropy(targets, -1);
        loss.backward();
        GradClip.clipGlobalNorm(params, 1f);
        optimizer.step();
        return loss.item();
    }

    @Test
    void aGreedyDecodingStepCopiesOneIdEachWay() {
        Backends.run(device, () -> {
            Transformer model = Transformer.randomInit(TINY, 7);
            Generator generator = new Generator(model, null);
            var twoTokens = new Generator.Request(2, SamplingSettings.greedyDecoding(), Set.of(), List.of());
            var threeTokens = new Generator.Request(3, SamplingSettings.greedyDecoding(), Set.of(), List.of());
            try (var noGrad = Grad.disabled()) {
                generator.generate(IDS, twoTokens, s -> {}); // compiles the kernels
                TransferStats.Snapshot before = device.transferStats().snapshot();
                generator.generate(IDS, twoTokens, s -> {});
                TransferStats.Snapshot two = device.transferStats().snapshot().minus(before);
                before = device.transferStats().snapshot();
                generator.generate(IDS, threeTokens, s -> {});
                TransferStats.Snapshot three = device.transferStats().snapshot().minus(before);
                // the difference is one decoding step: its input id in, its argmax out
                assertEquals(new TransferStats.Snapshot(1, Integer.BYTES, 1, Integer.BYTES), three.minus(two),
                        "one decoding step; two tokens: " + two + ", three: " + three);
            }
        });
    }
}
