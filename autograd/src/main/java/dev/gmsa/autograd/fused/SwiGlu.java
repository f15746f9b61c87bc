package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.tensor.cpu.StridedLoops;
import dev.gmsa.tensor.device.DeviceBackend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * SwiGLU's gate of a LLaMA MLP as one fused op, everything it is made of side by side: out = silu(gate) * up
 * and, with s = sigmoid(gate), its gradients dGate = dOut up s (1 + gate (1 - s)) and dUp = dOut silu(gate);
 * the shape checks, the autograd rule, the scalar reference, the version composed from tensor ops, the CPU
 * kernel (Vector API) and the device kernels (kernels/swiglu.cl). gate and up are same-shaped floating tensors.
 */
public final class SwiGlu {
    private SwiGlu() {}

    @FunctionalInterface
    public interface Forward {
        /** out (fresh, contiguous F32) = silu(gate) * up. */
        void run(Tensor gate, Tensor up, Tensor out);
    }

    @FunctionalInterface
    public interface Backward {
        /** dGate and dUp (fresh, contiguous F32) from dOut. */
        void run(Tensor gate, Tensor up, Tensor dOut, Tensor dGate, Tensor dUp);
    }

    static final String DEVICE_PROGRAM = "dev/gmsa/autograd/kernels/swiglu";

    public static final FusedOp<Forward> FORWARD = new FusedOp<Forward>("swiglu", SwiGlu::composedForward)
            .register(CpuBackend.class, SwiGlu::cpuForward)
            .register(DeviceBackend.class, SwiGlu::deviceForward);

    public static final FusedOp<Backward> BACKWARD = new FusedOp<Backward>("swigluBackward", SwiGlu::composedBackward)
            .register(CpuBackend.class, SwiGlu::cpuBackward)
            .register(DeviceBackend.class, SwiGlu::deviceBackward);

    // ------------------------------------------------------------------------------ the op and its autograd rule

    /** silu(gate) * up, recorded for autograd. */
    public static Var apply(Var gate, Var up) {
        Tensor out = forward(gate.value(), up.value());
        return Var.op(out, dy -> backward(gate.value(), up.value(), dy), gate, up);
    }

    public static Tensor forward(Tensor gate, Tensor up) {
        check(gate, up, null);
        Tensor out = Tensor.empty(gate.backend(), DType.F32, gate.shape());
        FORWARD.on(gate.backend()).run(gate, up, out);
        return out;
    }

    /** {dGate, dUp} for the output gradient dOut. */
    public static Tensor[] backward(Tensor gate, Tensor up, Tensor dOut) {
        check(gate, up, dOut);
        Tensor dGate = Tensor.empty(gate.backend(), DType.F32, gate.shape()), dUp = Tensor.empty(gate.backend(), DType.F32, gate.shape());
        BACKWARD.on(gate.backend()).run(gate, up, dOut, dGate, dUp);
        return new Tensor[] {dGate, dUp};
    }

    private static void check(Tensor gate, Tensor up, Tensor dOut) {
        if (gate.backend() != up.backend() || (dOut != null && dOut.backend() != gate.backend()))
            throw new IllegalArgumentException("swiglu: gate, up" + (dOut == null ? "" : " and dOut") + " are on different backends");
        if (!gate.dtype().isFloating() || !up.dtype().isFloating())
            throw new ShapeException("swiglu: gate and up must be floating, got " + gate + " and " + up);
        if (!Arrays.equals(gate.shape(), up.shape()) || (dOut != null && !Arrays.equals(gate.shape(), dOut.shape())))
            throw new ShapeException("swiglu: gate " + Shape.str(gate.shape()) + ", up " + Shape.str(up.shape())
                    + (dOut == null ? "" : " and dOut " + Shape.str(dOut.shape())) + " must have the same shape");
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** d silu(x) / dx = s (1 + x (1 - s)) with s = sigmoid(x): the one place the derivative is written in Java. */
    public static double siluGradient(double x) {
        double s = 1 / (1 + Math.exp(-x));
        return s * (1 + x * (1 - s));
    }

    /** out[i] = silu(gate[i]) up[i], in double. */
    public static float[] referenceForward(float[] gate, float[] up) {
        float[] out = new float[gate.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) (gate[i] / (1 + Math.exp(-gate[i])) * up[i]);
        return out;
    }

    /** {dGate, dUp}, in double. */
    public static float[][] referenceBackward(float[] gate, float[] up, float[] dOut) {
        float[] dGate = new float[gate.length], dUp = new float[gate.length];
        for (int i = 0; i < gate.length; i++) {
            double g = gate[i], silu = g / (1 + Math.exp(-g));
            dUp[i] = (float) (dOut[i] * silu);
            dGate[i] = (float) (dOut[i] * (double) up[i] * siluGradient(g));
        }
        return new float[][] {dGate, dUp};
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    static void composedForward(Tensor gate, Tensor up, Tensor out) {
        out.copyFrom(gate.silu().mul(up));
    }

    static void composedBackward(Tensor gate, Tensor up, Tensor dOut, Tensor dGate, Tensor dUp) {
        Tensor s = gate.sigmoid();
        dUp.copyFrom(dOut.mul(gate.silu()));
        dGate.copyFrom(dOut.mul(up).mul(s.mul(gate.mul(s.neg().add(1f)).add(1f))));
    }

    // ------------------------------------------------------------------------------ CPU kernel

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int MIN_CHUNK = 1 << 14;

    /** One pass over contiguous F32 heap arrays; other layouts (views, BF16) take the composed path. */
    static void cpuForward(Tensor gate, Tensor up, Tensor out) {
        float[] g = StridedLoops.denseArray(gate), u = StridedLoops.denseArray(up), o = StridedLoops.denseArray(out);
        if (g == null || u == null || o == null) {
            composedForward(gate, up, out);
            return;
        }
        int go = gate.offset(), uo = up.offset(), oo = out.offset();
        Parallel.forRange(out.numel(), MIN_CHUNK, (from, to) -> {
            int i = from, bound = from + F.loopBound(to - from);
            for (; i < bound; i += F.length()) {
                FloatVector x = FloatVector.fromArray(F, g, go + i);
                x.div(x.neg().lanewise(VectorOperators.EXP).add(1f)).mul(FloatVector.fromArray(F, u, uo + i)).intoArray(o, oo + i);
            }
            for (; i < to; i++) o[oo + i] = g[go + i] / (1f + (float) Math.exp(-g[go + i])) * u[uo + i];
        });
    }

    static void cpuBackward(Tensor gate, Tensor up, Tensor dOut, Tensor dGate, Tensor dUp) {
        float[] g = StridedLoops.denseArray(gate), u = StridedLoops.denseArray(up), dy = StridedLoops.denseArray(dOut);
        float[] dg = StridedLoops.denseArray(dGate), du = StridedLoops.denseArray(dUp);
        if (g == null || u == null || dy == null || dg == null || du == null) {
            composedBackward(gate, up, dOut, dGate, dUp);
            return;
        }
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
                float x = g[go + i], d = dy[yo + i];
                du[uro + i] = d * x / (1f + (float) Math.exp(-x));
                dg[gro + i] = (float) (d * u[uo + i] * siluGradient(x));
            }
        });
    }

    // ------------------------------------------------------------------------------ device kernels

    static void deviceForward(Tensor gate, Tensor up, Tensor out) {
        ((DeviceBackend) gate.backend()).kernel(DEVICE_PROGRAM, "swiglu_view").tensor(gate).tensor(up).tensor(out).arg(out.numel())
                .runFlat(out.numel());
    }

    static void deviceBackward(Tensor gate, Tensor up, Tensor dOut, Tensor dGate, Tensor dUp) {
        int n = dOut.numel();
        ((DeviceBackend) gate.backend()).kernel(DEVICE_PROGRAM, "swiglu_backward_view").tensor(gate).tensor(up).tensor(dOut)
                .tensor(dGate).tensor(dUp).arg(n).runFlat(n);
    }
}
