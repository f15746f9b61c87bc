package dev.gmsa.autograd.optim;

import dev.gmsa.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * Updates parameters from their accumulated gradients. A training step is
 * {@code zeroGrad(); loss.backward(); setLearningRateScale(schedule.multiplier(stepCount())); step();}.
 */
public interface Optimizer {
    /** One update of every parameter that has a gradient (frozen params and params without one are skipped). */
    void step();

    /** Drops every parameter's gradient. */
    void zeroGrad();

    /** Multiplies every group's learning rate (a schedule sets this before each step). */
    void setLearningRateScale(float scale);

    float learningRateScale();

    /** Number of {@link #step()} calls so far (restored by {@link #loadState}). */
    int stepCount();

    List<ParamGroup> groups();

    /**
     * A copy of the optimizer's state for a checkpoint: per-parameter buffers under "&lt;param key&gt;/&lt;buffer&gt;"
     * (the key is the param's name, or "param&lt;i&gt;" for the i-th unnamed one) and the step count under "step".
     */
    Map<String, Tensor> state();

    /** Replaces the whole state by one from {@link #state()}; the next step is then exactly the one the saved run took. */
    void loadState(Map<String, Tensor> state);
}
