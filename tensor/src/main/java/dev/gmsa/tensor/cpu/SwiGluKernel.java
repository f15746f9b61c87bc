package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SwiGLU's gate, out = silu(gate) * up, and its backward in one pass each over contiguous F32 rows (instead of the
 * silu, multiply and the seven-op composed backward). Other layouts return false: the caller then runs the
 * composed default.
 */
final class SwiGluKernel {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int MIN_CHUNK = 1 << 14;

    private SwiGluKernel() {}

    static boolean forward(Tensor gate, Tensor up, Tensor out) {
        if (!dense(gate, up, out)) return false;
        float[] g = array(gate), u = array(up), o = array(out);
        int go = gate.offset(), uo = up.offset(), oo = out.offset();
        Parallel.forRange(out.numel(), MIN_CHUNK, (from, to) -> {
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += F.length()) {
                FloatVector x = FloatVector.fromArray(F, g, go + i);
                x.div(x.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(F, u, uo + i)).intoArray(o, oo + i);
            }
            for (; i < to; i++) o[oo + i] = g[go + i] / (1f + (float) Math.exp(-g[go + i])) * u[uo + i];
        });
        return true;
    }

    /** dGate = dOut * up * s * (1 + gate * (1 - s)), dUp = dOut * gate * s, with s = sigmoid(gate). */
    static boolean backward(Tensor gate, Tensor up, Tensor dOut, Tensor dGate, Tensor dUp) {
        if (!dense(gate, up, dOut, dGate, dUp)) return false;
        float[] g = array(gate), u = array(up), dy = array(dOut), dg = array(dGate), du = array(dUp);
        int go = gate.offset(), uo = up.offset(), yo = dOut.offset(), gro = dGate.offset(), uro = dUp.offset();
        Parallel.forRange(dOut.numel(), MIN_CHUNK, (from, to) -> {
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += F.length()) {
                FloatVector x = FloatVector.fromArray(F, g, go + i), d = FloatVector.fromArray(F, dy, yo + i);
                FloatVector s = FloatVector.broadcast(F, 1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
                FloatVector silu = x.mul(s);
                d.mul(silu).intoArray(du, uro + i);
                FloatVector local = s.add(silu.mul(s.neg().add(1f))); // s (1 + x (1 - s))
                d.mul(FloatVector.fromArray(F, u, uo + i)).mul(local).intoArray(dg, gro + i);
            }
            for (; i < to; i++) {
                float x = g[go + i], s = 1f / (1f + (float) Math.exp(-x)), d = dy[yo + i];
                du[uro + i] = d * x * s;
                dg[gro + i] = d * u[uo + i] * (s + x * s * (1f - s));
            }
        });
        return true;
    }

    private static boolean dense(Tensor... tensors) {
        for (Tensor t : tensors)
            if (t.dtype() != DType.F32 || !t.isContiguous() || Strided.storage(t).floats == null) return false;
        return true;
    }

    private static float[] array(Tensor t) {
        return Strided.storage(t).floats;
    }
}
