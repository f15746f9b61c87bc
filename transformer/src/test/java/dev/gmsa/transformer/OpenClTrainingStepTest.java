package dev.gmsa.transformer;

import dev.gmsa.autograd.Var;
import dev.gmsa.autograd.optim.AdamW;
import dev.gmsa.autograd.optim.ParamGroup;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cuda.CudaBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A tiny LLaMA trained for a few steps (forward, backward, AdamW) entirely on the OpenCL device gives the
 * same losses and weights as on the CPU. CI installs PoCL, so there a missing driver fails the test.
 */
class OpenClTrainingStepTest {
    private static final ModelConfig TINY = ModelConfig.builder().hiddenSize(32).intermediateSize(64).numLayers(2).numHeads(4)
            .numKeyValueHeads(2).headDim(8).vocabSize(50).maxPositionEmbeddings(64).build();

    private static float[] train(Backend backend, List<float[]> finalWeights) {
        return Backends.with(backend, () -> {
            Transformer model = Transformer.randomInit(TINY, 7);
            List<Var> params = new ArrayList<>(model.parameters().values());
            AdamW opt = new AdamW(List.of(new ParamGroup(params, 1e-2f, 0.01f)));
            int[] ids = {3, 17, 42, 8, 8, 23, 1, 49, 30, 12, 5, 6};
            Tensor inputs = Tensor.ofInts(java.util.Arrays.copyOf(ids, 11), 1, 11);
            Tensor targets = Tensor.ofInts(java.util.Arrays.copyOfRange(ids, 1, 12));
            float[] losses = new float[3];
            for (int step = 0; step < 3; step++) {
                opt.zeroGrad();
                Var loss = model.forward(inputs, 0, null).reshape(11, -1).crossEntropy(targets, -100);
                loss.backward();
                opt.step();
                losses[step] = loss.item();
            }
            params.forEach(p -> finalWeights.add(p.value().toFloatArray()));
            return losses;
        });
    }

    @Test
    void aTrainingStepOnOpenClMatchesTheCpu() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) Assumptions.assumeTrue(OpenClBackend.available(), "no OpenCL driver on this machine (CI installs PoCL)");
        assertTrainsLikeTheCpu(OpenClBackend.open(0));
    }

    /** The same kernels through CUDA: runs only where the NVIDIA driver and a GPU are present (not in CI). */
    @Test
    void aTrainingStepOnCudaMatchesTheCpu() {
        Assumptions.assumeTrue(CudaBackend.available(), "no NVIDIA driver or GPU on this machine");
        assertTrainsLikeTheCpu(CudaBackend.open(0));
    }

    private static void assertTrainsLikeTheCpu(Backend gpu) {
        List<float[]> cpuWeights = new ArrayList<>(), gpuWeights = new ArrayList<>();
        float[] cpu = train(CpuBackend.instance(), cpuWeights);
        float[] device = train(gpu, gpuWeights);
        for (int i = 0; i < cpu.length; i++) assertEquals(cpu[i], device[i], 1e-4 * Math.abs(cpu[i]), "loss at step " + i);
        assertTrue(cpu[2] < cpu[0], "the loss falls");
        for (int p = 0; p < cpuWeights.size(); p++)
            for (int i = 0; i < cpuWeights.get(p).length; i++)
                assertEquals(cpuWeights.get(p)[i], gpuWeights.get(p)[i], 1e-4, "weight " + p + "[" + i + "]");
    }
}
