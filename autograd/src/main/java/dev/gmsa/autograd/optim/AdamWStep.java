package dev.gmsa.autograd.optim;

import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.StridedLoops;
import dev.gmsa.tensor.device.DeviceBackend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * One AdamW step in place, as one fused op with everything it is made of side by side: the formula
 * m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m / c1 / (sqrt(v / c2) + eps) + wd p)
 * (decoupled weight decay, bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t), its scalar reference, the version
 * composed from tensor ops (any backend), the CPU kernel (Vector API) and the device kernel (kernels/adamw.cl).
 * param, grad, m and v are same-shaped contiguous F32 tensors on one backend.
 */
public final class AdamWStep {
    private AdamWStep() {}

    /** The hyper-parameters of one step, with the bias corrections already worked out. */
    public record Hyper(float lr, float beta1, float beta2, float eps, float weightDecay, float c1, float c2) {
        public static Hyper of(float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
            return new Hyper(lr, beta1, beta2, eps, weightDecay, (float) (1 - Math.pow(beta1, step)), (float) (1 - Math.pow(beta2, step)));
        }
    }

    @FunctionalInterface
    public interface Kernel {
        void step(Tensor param, Tensor grad, Tensor m, Tensor v, Hyper h);
    }

    static final String DEVICE_PROGRAM = "dev/gmsa/autograd/kernels/adamw";

    public static final FusedOp<Kernel> OP = new FusedOp<Kernel>("adamw", AdamWStep::composed)
            .register(CpuBackend.class, AdamWStep::cpu)
            .register(DeviceBackend.class, AdamWStep::device);

    /** Runs the step with the kernel registered for the parameter's backend. */
    public static void apply(Tensor param, Tensor grad, Tensor m, Tensor v, Hyper h) {
        OP.on(param.backend()).step(param, grad, m, v, h);
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** The formula on plain arrays, in double: what every kernel is tested against. */
    public static void reference(float[] p, float[] g, float[] m, float[] v, Hyper h) {
        for (int i = 0; i < p.length; i++) {
            double mi = h.beta1() * (double) m[i] + (1 - (double) h.beta1()) * g[i];
            double vi = h.beta2() * (double) v[i] + (1 - (double) h.beta2()) * g[i] * (double) g[i];
            m[i] = (float) mi;
            v[i] = (float) vi;
            p[i] = (float) (p[i] - h.lr() * (mi / h.c1() / (Math.sqrt(vi / h.c2()) + h.eps()) + h.weightDecay() * (double) p[i]));
        }
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    static void composed(Tensor param, Tensor grad, Tensor m, Tensor v, Hyper h) {
        Tensor mi = m.mul(h.beta1()).add(grad.mul(1 - h.beta1()));
        Tensor vi = v.mul(h.beta2()).add(grad.square().mul(1 - h.beta2()));
        Tensor update = mi.div(h.c1()).div(vi.div(h.c2()).sqrt().add(h.eps())).add(param.mul(h.weightDecay()));
        m.copyFrom(mi);
        v.copyFrom(vi);
        param.copyFrom(param.sub(update.mul(h.lr())));
    }

    // ------------------------------------------------------------------------------ CPU kernel

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    static void cpu(Tensor param, Tensor grad, Tensor m, Tensor v, Hyper h) {
        float[] p = StridedLoops.denseArray(param), g = StridedLoops.denseArray(grad);
        float[] ma = StridedLoops.denseArray(m), va = StridedLoops.denseArray(v);
        if (p == null || g == null || ma == null || va == null) {
            cpuOnCopies(param, grad, m, v, h);
            return;
        }
        int po = param.offset(), go = grad.offset(), mo = m.offset(), vo = v.offset();
        StridedLoops.forTiles(1, param.numel(), 8, (row, lo, hi) -> cpuUpdate(p, po + lo, g, go + lo, ma, mo + lo, va, vo + lo, hi - lo, h));
    }

    private static void cpuUpdate(float[] p, int po, float[] g, int go, float[] m, int mo, float[] v, int vo, int n, Hyper h) {
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

    /** Operands that are not heap F32 arrays (mapped, say): step dense copies, then write them back. */
    private static void cpuOnCopies(Tensor param, Tensor grad, Tensor m, Tensor v, Hyper h) {
        float[] p = StridedLoops.toArray(param), g = StridedLoops.toArray(grad);
        float[] ma = StridedLoops.toArray(m), va = StridedLoops.toArray(v);
        cpuUpdate(p, 0, g, 0, ma, 0, va, 0, p.length, h);
        StridedLoops.fromArray(p, param);
        StridedLoops.fromArray(ma, m);
        StridedLoops.fromArray(va, v);
    }

    // ------------------------------------------------------------------------------ device kernel

    static void device(Tensor param, Tensor grad, Tensor m, Tensor v, Hyper h) {
        int n = param.numel();
        ((DeviceBackend) param.backend()).kernel(DEVICE_PROGRAM, "adamw_step").tensor(param).tensor(grad).tensor(m).tensor(v)
                .arg(h.lr()).arg(h.beta1()).arg(h.beta2()).arg(h.eps()).arg(h.weightDecay()).arg(h.c1()).arg(h.c2()).arg(n).runFlat(n);
    }
}
