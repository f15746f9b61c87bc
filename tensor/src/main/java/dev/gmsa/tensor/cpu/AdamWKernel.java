package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One AdamW step in place (decoupled weight decay): m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr (m / c1 / (sqrt(v / c2) + eps) + wd p), with bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t.
 */
final class AdamWKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private AdamWKernel() {}

    /** The hyper-parameters of one step, with the bias corrections already worked out. */
    record Step(float lr, float beta1, float beta2, float eps, float weightDecay, float c1, float c2) {
        static Step of(float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
            return new Step(lr, beta1, beta2, eps, weightDecay,
                    (float) (1 - Math.pow(beta1, step)), (float) (1 - Math.pow(beta2, step)));
        }
    }

    static void adamw(Tensor param, Tensor grad, Tensor m, Tensor v, Step h) {
        float[] p = StridedLoops.denseArray(param), g = StridedLoops.denseArray(grad);
        float[] ma = StridedLoops.denseArray(m), va = StridedLoops.denseArray(v);
        if (p == null || g == null || ma == null || va == null) {
            stepOnCopies(param, grad, m, v, h);
            return;
        }
        int po = param.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        StridedLoops.forTiles(1, param.numel(), 8, (row, lo, hi) -> update(p, po + lo, g, go + lo, ma, mo + lo, va, vo + lo, hi - lo, h));
    }

    private static void update(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, Step h) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector gv = FloatVector.fromArray(F, g, go + i), pv = FloatVector.fromArray(F, p, po + i);
            FloatVector mv = FloatVector.fromArray(F, m, mo + i).mul(h.beta1()).add(gv.mul(1 - h.beta1()));
            FloatVector vv = FloatVector.fromArray(F, v, vo + i).mul(h.beta2()).add(gv.mul(gv).mul(1 - h.beta2()));
            mv.intoArray(m, mo + i);
            vv.intoArray(v, vo + i);
            FloatVector update = mv.div(h.c1()).div(vv.div(h.c2()).sqrt().add(h.eps())).add(pv.mul(h.weightDecay()));
            pv.sub(update.mul(h.lr())).intoArray(p, po + i);
        }
        for (; i < n; i++) {
            float gi = g[go + i], pi = p[po + i];
            float mi = h.beta1() * m[mo + i] + (1 - h.beta1()) * gi;
            float vi = h.beta2() * v[vo + i] + (1 - h.beta2()) * gi * gi;
            m[mo + i] = mi;
            v[vo + i] = vi;
            p[po + i] = pi - h.lr() * (mi / h.c1() / ((float) Math.sqrt(vi / h.c2()) + h.eps()) + h.weightDecay() * pi);
        }
    }

    /** Non-contiguous or non-F32 operands: step dense copies, then write them back. */
    private static void stepOnCopies(Tensor param, Tensor grad, Tensor m, Tensor v, Step h) {
        float[] p = StridedLoops.toArray(param), g = StridedLoops.toArray(grad);
        float[] ma = StridedLoops.toArray(m), va = StridedLoops.toArray(v);
        update(p, 0, g, 0, ma, 0, va, 0, p.length, h);
        StridedLoops.fromArray(p, param);
        StridedLoops.fromArray(ma, m);
        StridedLoops.fromArray(va, v);
    }
}
