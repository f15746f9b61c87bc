package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What AdamW and SGD share: parameter groups, a key per parameter, the learning-rate scale, the step count,
 * and per-parameter buffers (moments, momentum) and counters, allocated lazily for parameters that get a
 * gradient, exported and restored by {@link #state()} / {@link #loadState}.
 */
abstract class ParamState implements Optimizer {
    static final String STEP_KEY = "step";

    private final List<ParamGroup> groups;
    private final Map<Var, String> keys = new IdentityHashMap<>();
    private final Map<String, Var> paramsByKey = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();  // "<param key>/<buffer>"
    private final Map<String, Integer> counters = new LinkedHashMap<>(); // "<param key>/<counter>"
    private float learningRateScale = 1f;
    private int stepCount;

    ParamState(List<ParamGroup> groups, String optimizer) {
        this.groups = List.copyOf(groups);
        int unnamed = 0;
        for (ParamGroup group : this.groups)
            for (Var p : group.params()) {
                Tensor v = p.value();
                if (v.dtype() != DType.F32 || !v.isContiguous())
                    throw new IllegalArgumentException(optimizer + ": parameter " + p + " must be a contiguous F32 tensor (it is updated in place), got " + v);
                String key = p.name() != null ? p.name() : "param" + unnamed++;
                if (keys.containsKey(p)) throw new IllegalArgumentException(optimizer + ": parameter " + p + " appears twice");
                if (paramsByKey.containsKey(key))
                    throw new IllegalArgumentException(optimizer + ": two parameters share the state key '" + key + "'; give them distinct names");
                keys.put(p, key);
                paramsByKey.put(key, p);
            }
    }

    /** Names of the per-parameter tensors this optimizer keeps (each has the parameter's shape). */
    abstract List<String> bufferNames();

    /** Names of the per-parameter integer counters this optimizer keeps. */
    List<String> counterNames() {
        return List.of();
    }

    /** Updates one parameter in place from its gradient. */
    abstract void update(Var param, String key, float learningRate, float weightDecay);

    @Override
    public final void step() {
        stepCount++;
        for (ParamGroup group : groups)
            for (Var p : group.params())
                if (p.requiresGrad() && p.grad() != null)
                    update(p, keys.get(p), group.learningRate() * learningRateScale, group.weightDecay());
    }

    /** The buffer of a parameter, zero-filled on first use. */
    final Tensor buffer(String key, String buffer, Var param) {
        return buffers.computeIfAbsent(key + "/" + buffer,
                k -> Tensor.zeros(param.value().backend(), DType.F32, param.value().shape()));
    }

    final void setBuffer(String key, String buffer, Tensor value) {
        buffers.put(key + "/" + buffer, value);
    }

    /** Increments a parameter's counter (starting from 0) and returns the new value. */
    final int incrementCounter(String key, String counter) {
        return counters.merge(key + "/" + counter, 1, Integer::sum);
    }

    @Override
    public final void zeroGrad() {
        for (ParamGroup group : groups) for (Var p : group.params()) p.zeroGrad();
    }

    @Override
    public final void setLearningRateScale(float scale) {
        if (!(scale >= 0)) throw new IllegalArgumentException("setLearningRateScale: scale must be >= 0, got " + scale);
        learningRateScale = scale;
    }

    @Override
    public final float learningRateScale() {
        return learningRateScale;
    }

    @Override
    public final int stepCount() {
        return stepCount;
    }

    @Override
    public final List<ParamGroup> groups() {
        return groups;
    }

    @Override
    public final Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put(STEP_KEY, Tensor.ofInts(new int[] {stepCount}));
        buffers.forEach((k, t) -> out.put(k, t.copy()));
        counters.forEach((k, c) -> out.put(k, Tensor.ofInts(new int[] {c})));
        return out;
    }

    @Override
    public final void loadState(Map<String, Tensor> state) {
        Tensor step = state.get(STEP_KEY);
        if (step == null) throw new IllegalArgumentException("loadState: no '" + STEP_KEY + "' entry");
        Map<String, Tensor> newBuffers = new LinkedHashMap<>();
        Map<String, Integer> newCounters = new LinkedHashMap<>();
        for (var entry : state.entrySet()) {
            String k = entry.getKey();
            if (k.equals(STEP_KEY)) continue;
            int slash = k.lastIndexOf('/');
            Var param = slash < 0 ? null : paramsByKey.get(k.substring(0, slash));
            String part = slash < 0 ? "" : k.substring(slash + 1);
            if (param == null || !(bufferNames().contains(part) || counterNames().contains(part)))
                throw new IllegalArgumentException("loadState: unknown entry '" + k + "' (parameters: " + paramsByKey.keySet()
                        + ", buffers: " + bufferNames() + ", counters: " + counterNames() + ")");
            Tensor t = entry.getValue();
            if (counterNames().contains(part)) newCounters.put(k, single(t, k));
            else {
                if (!Arrays.equals(t.shape(), param.value().shape()))
                    throw new IllegalArgumentException("loadState: '" + k + "' has shape " + Shape.str(t.shape())
                            + " but its parameter has " + Shape.str(param.value().shape()));
                int[] s = t.shape();
                newBuffers.put(k, new Tensor(param.value().backend().upload(t.toFloatArray()), s, Shape.contiguousStrides(s), 0));
            }
        }
        stepCount = single(step, STEP_KEY);
        buffers.clear();
        buffers.putAll(newBuffers);
        counters.clear();
        counters.putAll(newCounters);
    }

    private static int single(Tensor t, String key) {
        if (t.numel() != 1) throw new IllegalArgumentException("loadState: '" + key + "' must hold one value, got " + t);
        return t.dtype() == DType.I32 ? t.toIntArray()[0] : Math.round(t.item());
    }
}
