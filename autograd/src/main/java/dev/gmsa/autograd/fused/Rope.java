package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.Blocks;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.StridedLoops;
import dev.gmsa.tensor.device.DeviceBackend;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Rotary position embedding as one fused op, everything it is made of side by side. x [..., T, D] with angle tables
 * cos, sin [T, D/2]: each pair (x0, x1) of a row at position t turns by its angle, (x0 c - x1 s, x1 c + x0 s). A
 * rotation's transpose is the rotation by the negative angle, so the backward is the same kernel with
 * {@code inverse}. {@link RopeLayout} says which dimensions pair up. The shape checks, the autograd rule, the
 * scalar reference, the version composed from tensor ops, the CPU kernel (Vector API) and the device kernel
 * (kernels/rope.cl).
 */
public final class Rope {
    private Rope() {}

    @FunctionalInterface
    public interface Kernel {
        /** out (fresh, contiguous F32, x's shape) = x rotated by +angle, or by -angle when {@code inverse}. */
        void run(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse, Tensor out);
    }

    static final String DEVICE_PROGRAM = "dev/gmsa/autograd/kernels/rope";

    public static final FusedOp<Kernel> ROTATE = new FusedOp<Kernel>("rope", Rope::composed)
            .register(CpuBackend.class, Rope::cpu)
            .register(DeviceBackend.class, Rope::device);

    // ------------------------------------------------------------------------------ the op and its autograd rule

    /** x rotated by the tables' angles, recorded for autograd (the tables are constants). */
    public static Var apply(Var x, Tensor cos, Tensor sin, RopeLayout layout) {
        return Var.op(rotate(x.value(), cos, sin, layout, false), dy -> new Tensor[] {rotate(dy, cos, sin, layout, true)}, x);
    }

    public static Tensor rotate(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse) {
        check(x, cos, sin);
        Tensor out = Tensor.empty(x.backend(), DType.F32, x.shape());
        if (out.numel() > 0) ROTATE.on(x.backend()).run(x, cos, sin, layout, inverse, out);
        return out;
    }

    private static void check(Tensor x, Tensor cos, Tensor sin) {
        if (x.backend() != cos.backend() || x.backend() != sin.backend())
            throw new IllegalArgumentException("rope: x and the cos/sin tables are on different backends");
        int rank = x.rank(), t = rank >= 2 ? x.size(-2) : -1, d = rank >= 1 ? x.size(-1) : 0;
        if (rank < 2 || d % 2 != 0 || cos.rank() != 2 || !Arrays.equals(cos.shape(), sin.shape())
                || cos.size(0) != t || cos.size(1) != d / 2)
            throw new ShapeException("rope: input " + Shape.str(x.shape()) + " needs cos/sin of shape [" + t + ", " + d / 2
                    + "], got " + Shape.str(cos.shape()) + " and " + Shape.str(sin.shape()));
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** x [rows, d] (row-major values; row r sits at position r % t) rotated by cos, sin [t, d/2], in double. */
    public static float[] reference(float[] x, int d, int t, float[] cos, float[] sin, RopeLayout layout, boolean inverse) {
        int half = d / 2, rows = d == 0 ? 0 : x.length / d;
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            int pos = r % t;
            for (int i = 0; i < half; i++) {
                int i0 = layout == RopeLayout.HALF_SPLIT ? i : 2 * i, i1 = layout == RopeLayout.HALF_SPLIT ? i + half : 2 * i + 1;
                double c = cos[pos * half + i], s = inverse ? -sin[pos * half + i] : sin[pos * half + i];
                double x0 = x[r * d + i0], x1 = x[r * d + i1];
                out[r * d + i0] = (float) (x0 * c - x1 * s);
                out[r * d + i1] = (float) (x1 * c + x0 * s);
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    /** The two members of every pair as [..., T, D/2] views, and the rotated pair joined back in the layout. */
    static void composed(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse, Tensor out) {
        int d = x.size(-1), half = d / 2;
        Tensor s = inverse ? sin.neg() : sin, x0, x1;
        if (layout == RopeLayout.HALF_SPLIT) {
            x0 = x.narrow(-1, 0, half);
            x1 = x.narrow(-1, half, half);
        } else {
            int[] pairShape = Arrays.copyOf(x.shape(), x.rank() + 1); // [..., T, D/2, 2]
            pairShape[x.rank() - 1] = half;
            pairShape[x.rank()] = 2;
            Tensor pairs = x.reshape(pairShape);
            x0 = pairs.narrow(-1, 0, 1).squeeze(-1);
            x1 = pairs.narrow(-1, 1, 1).squeeze(-1);
        }
        Tensor y0 = x0.mul(cos).sub(x1.mul(s)), y1 = x1.mul(cos).add(x0.mul(s));
        Tensor joined = layout == RopeLayout.HALF_SPLIT ? Tensor.concat(-1, y0, y1) : Tensor.stack(-1, y0, y1).reshape(x.shape());
        out.copyFrom(joined);
    }

    // ------------------------------------------------------------------------------ CPU kernel

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    /** Lane i takes lane i ^ 1: (x0, x1, x2, x3, ...) becomes (x1, x0, x3, x2, ...). */
    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(F, i -> i ^ 1);

    /**
     * HALF_SPLIT rotates two contiguous halves; INTERLEAVED works on whole vectors as out = x * cos2 + swapPairs(x) *
     * sin2 with tables widened to D per position: cos2 = (c0, c0, c1, c1, ...), sin2 = (-s0, s0, -s1, s1, ...).
     * Rows of a strided x (attention's permuted q and k) are read in place or through a scratch row, never copied whole.
     */
    static void cpu(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse, Tensor out) {
        float[] dst = StridedLoops.outArray(out, "rope");
        int base = out.offset(), d = x.size(-1), t = x.size(-2), half = d / 2;
        Blocks rows = Blocks.rows(x);
        if (d == 0 || rows.blockCount() == 0) return;
        float[] c = StridedLoops.toArray(cos), s = StridedLoops.toArray(sin);
        if (inverse) for (int i = 0; i < s.length; i++) s[i] = -s[i];
        if (layout == RopeLayout.HALF_SPLIT) {
            StridedLoops.forRows(rows.blockCount(), d, 2, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    Blocks.Row row = rows.row(r, 0, d, 0);
                    rotateHalves(row.data(), row.offset(), half, c, s, (r % t) * half, dst, base + r * d);
                }
            });
        } else {
            float[] cos2 = new float[t * d], sin2 = new float[t * d];
            for (int p = 0; p < t * half; p++) {
                cos2[2 * p] = cos2[2 * p + 1] = c[p];
                sin2[2 * p] = -s[p];
                sin2[2 * p + 1] = s[p];
            }
            StridedLoops.forRows(rows.blockCount(), d, 2, (lo, hi) -> {
                for (int r = lo; r < hi; r++) {
                    Blocks.Row row = rows.row(r, 0, d, 0);
                    rotatePairs(row.data(), row.offset(), d, cos2, sin2, (r % t) * d, dst, base + r * d);
                }
            });
        }
    }

    /** x0 = x[0, half), x1 = x[half, d): out0 = x0 c - x1 s, out1 = x1 c + x0 s; c, s at table[to ..]. */
    private static void rotateHalves(float[] x, int xo, int half, float[] c, float[] s, int to, float[] out, int oo) {
        int i = 0, bound = F.loopBound(half);
        for (; i < bound; i += F.length()) {
            FloatVector x0 = FloatVector.fromArray(F, x, xo + i), x1 = FloatVector.fromArray(F, x, xo + half + i);
            FloatVector cv = FloatVector.fromArray(F, c, to + i), sv = FloatVector.fromArray(F, s, to + i);
            x0.mul(cv).sub(x1.mul(sv)).intoArray(out, oo + i);
            x1.mul(cv).add(x0.mul(sv)).intoArray(out, oo + half + i);
        }
        for (; i < half; i++) {
            float x0 = x[xo + i], x1 = x[xo + half + i], cv = c[to + i], sv = s[to + i];
            out[oo + i] = x0 * cv - x1 * sv;
            out[oo + half + i] = x1 * cv + x0 * sv;
        }
    }

    /** out[j] = x[j] cos2[j] + x[j ^ 1] sin2[j] (pairs never straddle a vector: lanes are even). */
    private static void rotatePairs(float[] x, int xo, int d, float[] cos2, float[] sin2, int to, float[] out, int oo) {
        int j = 0, bound = F.loopBound(d);
        for (; j < bound; j += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xo + j);
            v.mul(FloatVector.fromArray(F, cos2, to + j))
                    .add(v.rearrange(SWAP_PAIRS).mul(FloatVector.fromArray(F, sin2, to + j)))
                    .intoArray(out, oo + j);
        }
        for (; j < d; j++) out[oo + j] = x[xo + j] * cos2[to + j] + x[xo + (j ^ 1)] * sin2[to + j];
    }

    // ------------------------------------------------------------------------------ device kernel

    static void device(Tensor x, Tensor cos, Tensor sin, RopeLayout layout, boolean inverse, Tensor out) {
        int d = x.size(-1), rows = x.numel() / d;
        ((DeviceBackend) x.backend()).kernel(DEVICE_PROGRAM, "rope_pairs").tensor(x).tensor(cos).tensor(sin)
                .arg(layout == RopeLayout.HALF_SPLIT ? 0 : 1).arg(inverse ? 1 : 0).tensor(out).arg(rows).arg(x.size(-2)).arg(d)
                .runFlat((long) rows * (d / 2));
    }
}
