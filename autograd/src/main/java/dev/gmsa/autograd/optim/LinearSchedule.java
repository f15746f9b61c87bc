package dev.gmsa.autograd.optim;

/**
 * Learning-rate multiplier: linear warm-up from 0 to 1 over {@code warmupSteps}, then linear decay to 0 at
 * {@code totalSteps} (Hugging Face get_linear_schedule_with_warmup). {@code step} counts optimizer steps
 * already taken, so the first update uses multiplier(0), as there.
 */
public record LinearSchedule(int warmupSteps, int totalSteps) {
    public LinearSchedule {
        if (warmupSteps < 0 || totalSteps < warmupSteps)
            throw new IllegalArgumentException("LinearSchedule: need 0 <= warmupSteps <= totalSteps, got " + warmupSteps + ", " + totalSteps);
    }

    public float multiplier(int step) {
        if (step < warmupSteps) return (float) step / Math.max(1, warmupSteps);
        return Math.max(0f, (float) (totalSteps - step) / Math.max(1, totalSteps - warmupSteps));
    }

    /** Sets the optimizer's scale for its next step. */
    public void applyTo(Optimizer optimizer) {
        optimizer.setLearningRateScale(multiplier(optimizer.stepCount()));
    }
}
