package dev.gmsa.compress.model;

import dev.gmsa.autograd.Var;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.FusedOp;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.StridedLoops;
import dev.gmsa.tensor.device.DeviceBackend;

import java.util.Arrays;

/**
 * GMSA's group merging as one fused op, everything it is made of side by side: the means over consecutive
 * groups of {@code groupSize} positions along one axis (a shorter last group is averaged over its own length),
 * its shape checks, its backward (each position gets its group's gradient over the group's length), the scalar
 * reference, the version composed from tensor ops (any backend), the CPU kernel and the device kernel
 * (kernels/group_mean_pool.cl). x is seen as [outer, len, inner] around the pooled axis.
 */
public final class GroupMeanPool {
    private GroupMeanPool() {}

    @FunctionalInterface
    public interface Kernel {
        /** out [outer, groups, inner] (fresh, contiguous F32) = the group means of x [outer, len, inner]. */
        void pool(Tensor x, int axis, int groupSize, Tensor out);
    }

    static final String DEVICE_PROGRAM = "dev/gmsa/compress/kernels/group_mean_pool";

    public static final FusedOp<Kernel> OP = new FusedOp<Kernel>("groupMeanPool", GroupMeanPool::composed)
            .register(CpuBackend.class, GroupMeanPool::cpu)
            .register(DeviceBackend.class, GroupMeanPool::device);

    // ------------------------------------------------------------------------------ forward and backward

    /** The group means of x along axis (with the kernel registered for x's backend). */
    public static Tensor forward(Tensor x, int axis, int groupSize) {
        int a = Shape.axis(axis, x.rank(), "groupMeanPool");
        if (groupSize < 1) throw new ShapeException("groupMeanPool: group size " + groupSize + " must be at least 1");
        int groups = groups(x.size(a), groupSize);
        Tensor out = Tensor.empty(x.backend(), DType.F32, Shape.withAxis(x.shape(), a, groups));
        if (out.numel() > 0) OP.on(x.backend()).pool(x, a, groupSize, out);
        return out;
    }

    /** As {@link #forward}, recorded for autograd. */
    public static Var apply(Var x, int axis, int groupSize) {
        Tensor out = forward(x.value(), axis, groupSize); // validates
        int a = Shape.axis(axis, x.rank(), "groupMeanPool");
        int length = x.size(a);
        return Var.op(out, dy -> new Tensor[] {backward(dy, a, groupSize, length)}, x);
    }

    /** dx [.., length, ..] from dy [.., groups, ..]: dy / group length, repeated over each group (built where dy lives). */
    static Tensor backward(Tensor dy, int axis, int groupSize, int length) {
        int groups = dy.size(axis), last = length - (groups - 1) * groupSize;
        int[] lengthsShape = new int[dy.rank()];
        Arrays.fill(lengthsShape, 1);
        lengthsShape[axis] = groups;
        Tensor groupLengths = Tensor.empty(dy.backend(), DType.F32, groups); // filled on the backend, not uploaded
        groupLengths.fillInPlace(groupSize);
        groupLengths.narrow(0, groups - 1, 1).fillInPlace(last);
        Tensor perGroup = dy.div(groupLengths.reshape(lengthsShape));          // [.., G, ..]
        int[] repeated = perGroup.unsqueeze(axis + 1).shape();
        repeated[axis + 1] = groupSize;                                         // [.., G, groupSize, ..]
        int[] spread = Shape.withAxis(perGroup.shape(), axis, groups * groupSize);
        return perGroup.unsqueeze(axis + 1).expand(repeated).reshape(spread).narrow(axis, 0, length);
    }

    static int groups(int length, int groupSize) {
        return (length + groupSize - 1) / groupSize;
    }

    // ------------------------------------------------------------------------------ scalar reference

    /** The means of x [outer, len, inner] (row-major values), in double: what every kernel is tested against. */
    public static float[] reference(float[] x, int outer, int len, int inner, int groupSize) {
        int groups = groups(len, groupSize);
        float[] out = new float[outer * groups * inner];
        for (int o = 0; o < outer; o++)
            for (int g = 0; g < groups; g++) {
                int start = g * groupSize, end = Math.min(start + groupSize, len);
                for (int in = 0; in < inner; in++) {
                    double acc = 0;
                    for (int l = start; l < end; l++) acc += x[(o * len + l) * inner + in];
                    out[(o * groups + g) * inner + in] = (float) (acc / (end - start));
                }
            }
        return out;
    }

    // ------------------------------------------------------------------------------ composed (any backend)

    /** Full groups as one reshape and mean, the shorter last group (if any) as a second mean. */
    static void composed(Tensor x, int axis, int groupSize, Tensor out) {
        int length = x.size(axis), full = length / groupSize;
        int at = 0;
        if (full > 0) {
            int[] grouped = Shape.withAxis(x.shape(), axis, full);
            grouped = insert(grouped, axis + 1, groupSize);                    // [.., full, groupSize, ..]
            Tensor means = x.narrow(axis, 0, full * groupSize).reshape(grouped).mean(axis + 1, false);
            out.narrow(axis, 0, full).copyFrom(means);
            at = full;
        }
        if (full * groupSize < length)
            out.narrow(axis, at, 1).copyFrom(x.narrow(axis, full * groupSize, length - full * groupSize).mean(axis, true));
    }

    private static int[] insert(int[] shape, int at, int size) {
        int[] out = new int[shape.length + 1];
        System.arraycopy(shape, 0, out, 0, at);
        out[at] = size;
        System.arraycopy(shape, at, out, at + 1, shape.length - at);
        return out;
    }

    // ------------------------------------------------------------------------------ CPU kernel

    /** One tile per output row (o, g): sums of whole inner rows of x, in float, then one scale. */
    static void cpu(Tensor x, int axis, int groupSize, Tensor out) {
        Tensor dense = x.dtype() == DType.F32 && x.isContiguous() && StridedLoops.denseArray(x) != null ? x : x.to(DType.F32).contiguous();
        float[] src = StridedLoops.denseArray(dense), dst = StridedLoops.outArray(out, "groupMeanPool");
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int len = oli[1], inner = oli[2], groups = out.size(axis), base = dense.offset(), outBase = out.offset();
        StridedLoops.forTiles(oli[0] * groups, inner, groupSize, (row, lo, hi) -> {
            int o = row / groups, from = (row % groups) * groupSize, to = Math.min(from + groupSize, len);
            int at = outBase + row * inner;
            for (int i = lo; i < hi; i++) dst[at + i] = 0f;
            for (int l = from; l < to; l++) {
                int rowStart = base + (o * len + l) * inner;
                for (int i = lo; i < hi; i++) dst[at + i] += src[rowStart + i];
            }
            float scale = 1f / (to - from);
            for (int i = lo; i < hi; i++) dst[at + i] *= scale;
        });
    }

    // ------------------------------------------------------------------------------ device kernel

    static void device(Tensor x, int axis, int groupSize, Tensor out) {
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        ((DeviceBackend) x.backend()).kernel(DEVICE_PROGRAM, "group_mean_pool").tensor(x).tensor(out)
                .arg(oli[0]).arg(oli[1]).arg(oli[2]).arg(out.size(axis)).arg(groupSize).runFlat(out.numel());
    }
}
