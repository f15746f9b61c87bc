package dev.gmsa.tensor.device;

import dev.gmsa.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Collects the arguments of one kernel launch as bytes, then hands them to the runtime. Tensors are passed as
 * two arguments: the buffer handle and its {@code View} struct by value (see common.cl). OpenCL sets each
 * argument from (size, bytes); CUDA passes the array of pointers to the same bytes.
 */
public final class KernelLaunch {
    static final int MAX_RANK = 8;
    private static final int VIEW_BYTES = 4 * (4 + 2 * MAX_RANK);
    static final int FLAT_GROUP = 128;

    private final DeviceBackend backend;
    private final String program, kernel;
    private final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> args = new ArrayList<>();

    KernelLaunch(DeviceBackend backend, String program, String kernel) {
        this.backend = backend;
        this.program = program;
        this.kernel = kernel;
    }

    public KernelLaunch arg(int value) {
        args.add(arena.allocateFrom(JAVA_INT, value));
        return this;
    }

    public KernelLaunch arg(float value) {
        args.add(arena.allocateFrom(JAVA_FLOAT, value));
        return this;
    }

    /** A cl_mem or a CUdeviceptr: 8 bytes either way. */
    KernelLaunch buffer(DeviceStorage storage) {
        args.add(arena.allocateFrom(JAVA_LONG, storage.buffer));
        return this;
    }

    /** The tensor's buffer followed by its view (rank, offset, contiguous flag, dtype, shape, strides). */
    public KernelLaunch tensor(Tensor t) {
        buffer(backend.storage(t, kernel));
        int[] shape = t.shape(), strides = t.strides();
        if (shape.length > MAX_RANK)
            throw new IllegalArgumentException(backend.name() + " " + kernel + ": tensor " + t + " has rank " + shape.length
                    + ", at most " + MAX_RANK + " is supported");
        MemorySegment view = arena.allocate(VIEW_BYTES, 4);
        view.setAtIndex(JAVA_INT, 0, shape.length);
        view.setAtIndex(JAVA_INT, 1, t.offset());
        view.setAtIndex(JAVA_INT, 2, t.isContiguous() ? 1 : 0);
        view.setAtIndex(JAVA_INT, 3, t.dtype().ordinal());
        for (int d = 0; d < shape.length; d++) {
            view.setAtIndex(JAVA_INT, 4 + d, shape[d]);
            view.setAtIndex(JAVA_INT, 4 + MAX_RANK + d, strides[d]);
        }
        args.add(view);
        return this;
    }

    /** One work-item per element, in groups of FLAT_GROUP (the last group partly idle). */
    public void runFlat(long items) {
        run(new long[] {roundUp(items, FLAT_GROUP)}, new long[] {FLAT_GROUP});
    }

    /** global[i] must be a multiple of local[i]; local may be null to let the runtime choose. */
    public void run(long[] global, long[] local) {
        try (arena) {
            for (long g : global) if (g == 0) return; // nothing to do (both APIs reject empty ranges)
            backend.runtime().launch(program, kernel, global, local, args);
        }
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
