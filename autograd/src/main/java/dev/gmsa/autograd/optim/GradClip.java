package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.Tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Gradient clipping by the global L2 norm over all parameters (torch.nn.utils.clip_grad_norm_). */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales every gradient by maxNorm / norm when the global norm exceeds maxNorm, so that the clipped norm
     * is maxNorm (PyTorch divides by norm + 1e-6; here it is exact). Returns the norm before clipping. A
     * non-finite norm is returned without touching the gradients, so the caller can skip the step.
     */
    public static float clipGlobalNorm(List<Var> params, float maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("GradClip.clipGlobalNorm: maxNorm must be > 0, got " + maxNorm);
        Set<Var> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        double sumOfSquares = 0;
        for (Var p : params)
            if (p.grad() != null && distinct.add(p)) sumOfSquares += p.grad().square().sum().item();
        float norm = (float) Math.sqrt(sumOfSquares);
        if (Float.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / Math.sqrt(sumOfSquares));
            for (Var p : distinct) {
                Tensor g = p.grad();
                g.copyFrom(g.mul(scale)); // the grad tensor is owned by its Var, so updating in place is safe
            }
        }
        return norm;
    }
}
