package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A run restored from a checkpoint (param values + optimizer state) takes exactly the steps the original takes. */
class OptimizerStateTest {
    private static final Tensor INPUT = Tensor.randn(11, 1f, 5, 4);
    private static final Tensor TARGETS = Tensor.ofInts(new int[] {0, 2, 1, 2, 0});

    @Test
    void adamWResumesExactly() {
        resumesExactly(groups -> new AdamW(groups, 0.9f, 0.95f, 1e-6f));
    }

    @Test
    void sgdResumesExactly() {
        resumesExactly(groups -> new Sgd(groups, 0.8f));
    }

    private static void resumesExactly(Function<List<ParamGroup>, Optimizer> make) {
        var schedule = new LinearSchedule(2, 8);
        List<Var> params = freshParams(Tensor.randn(1, 0.5f, 4, 3), Tensor.randn(2, 0.5f, 3));
        Optimizer original = make.apply(groups(params));
        for (int i = 0; i < 3; i++) trainStep(original, params, schedule);

        // checkpoint
        List<Tensor> savedValues = params.stream().map(p -> p.value().copy()).toList();
        Map<String, Tensor> savedState = original.state();
        for (int i = 0; i < 3; i++) trainStep(original, params, schedule);

        List<Var> restoredParams = freshParams(savedValues.get(0), savedValues.get(1));
        Optimizer restored = make.apply(groups(restoredParams));
        restored.loadState(savedState);
        assertEquals(3, restored.stepCount());
        for (int i = 0; i < 3; i++) trainStep(restored, restoredParams, schedule);

        for (int i = 0; i < params.size(); i++)
            assertArrayEquals(params.get(i).value().toFloatArray(), restoredParams.get(i).value().toFloatArray(), "param " + i);
    }

    private static List<Var> freshParams(Tensor w, Tensor bias) {
        return List.of(Var.param("w", w.copy()), Var.param("bias", bias.copy()));
    }

    private static List<ParamGroup> groups(List<Var> params) {
        return List.of(new ParamGroup(List.of(params.get(0)), 0.05f, 0.1f), new ParamGroup(List.of(params.get(1)), 0.05f, 0f));
    }

    private static void trainStep(Optimizer optimizer, List<Var> params, LinearSchedule schedule) {
        optimizer.zeroGrad();
        Var.constant(INPUT).matmul(params.get(0)).add(params.get(1)).crossEntropy(TARGETS, -1).backward();
        GradClip.clipGlobalNorm(params, 0.5f);
        schedule.applyTo(optimizer);
        optimizer.step();
    }

    @Test
    void stateKeysComeFromParamNamesAndUnknownEntriesAreRejected() {
        Var named = Var.param("encoder.weight", Tensor.ones(2)), unnamed = Var.param(Tensor.ones(3));
        var adam = new AdamW(List.of(new ParamGroup(List.of(named, unnamed), 0.1f, 0f)));
        named.add(Var.constant(Tensor.ones(2))).sum().backward();
        unnamed.sum().backward();
        adam.step();
        assertEquals(new ArrayList<>(List.of("step", "encoder.weight/m", "encoder.weight/v", "param0/m", "param0/v",
                "encoder.weight/step", "param0/step")), new ArrayList<>(adam.state().keySet()));

        Map<String, Tensor> bad = new HashMap<>(adam.state());
        bad.put("decoder.weight/m", Tensor.ones(2));
        assertThrows(IllegalArgumentException.class, () -> adam.loadState(bad));
        Map<String, Tensor> wrongShape = new HashMap<>(adam.state());
        wrongShape.put("param0/v", Tensor.ones(2));
        assertThrows(IllegalArgumentException.class, () -> adam.loadState(wrongShape));
    }

    @Test
    void theExportedStateIsASnapshot() {
        Var p = Var.param("p", Tensor.ones(2));
        var adam = new AdamW(List.of(new ParamGroup(List.of(p), 0.1f, 0f)));
        p.sum().backward();
        adam.step();
        Map<String, Tensor> snapshot = adam.state();
        float[] m = snapshot.get("p/m").toFloatArray();
        adam.step();
        assertArrayEquals(m, snapshot.get("p/m").toFloatArray());
        assertEquals(1, snapshot.get("step").toIntArray()[0]);
    }
}
