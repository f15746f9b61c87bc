package dev.gmsa.autograd.optim;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.BinaryOp;
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
     * is maxNorm (PyTorch divides by norm + 1e-6; here it is exact). A non-finite norm leaves the gradients as
     * they are. Returns the norm before clipping as a 0-d tensor where the gradients live: nothing is read back
     * to the host unless the caller asks for the value ({@code .item()}).
     */
    public static Tensor clipGlobalNorm(List<Var> params, float maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("GradClip.clipGlobalNorm: maxNorm must be > 0, got " + maxNorm);
        Set<Var> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        Tensor sumOfSquares = null;
        for (Var p : params)
            if (p.grad() != null && distinct.add(p)) {
                Tensor s = p.grad().square().sum();
                sumOfSquares = sumOfSquares == null ? s : sumOfSquares.add(s);
            }
        if (sumOfSquares == null) return Tensor.scalar(0f).reshape(); // no gradients at all
        Tensor norm = sumOfSquares.sqrt();
        Tensor finite = norm.sub(norm).zip(BinaryOp.EQ, 0f); // inf - inf and NaN - NaN are NaN
        Tensor shrink = Tensor.scalarLike(norm, maxNorm).div(norm.zip(BinaryOp.MAX, maxNorm)); // exactly 1 when norm <= maxNorm
        Tensor scale = shrink.where(finite, Tensor.scalarLike(norm, 1f));
        for (Var p : distinct) {
            Tensor g = p.grad();
            g.copyFrom(g.mul(scale)); // the grad tensor is owned by its Var, so updating in place is safe
        }
        return norm;
    }
}
