package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Collects the arguments of one kernel launch, then sets them and enqueues the kernel while holding the
 * device (kernel objects are shared, and clSetKernelArg + enqueue must not interleave between threads).
 * Tensors are passed as two arguments: the buffer and its {@code View} struct (see common.cl).
 */
final class KernelLaunch {
    static final int MAX_RANK = 8;
    private static final int VIEW_BYTES = 4 * (4 + 2 * MAX_RANK);

    private final OpenClDevice device;
    private final String program, kernel;
    private final Arena arena = Arena.ofConfined();
    private final List<MemorySegment> args = new ArrayList<>();

    KernelLaunch(OpenClDevice device, String program, String kernel) {
        this.device = device;
        this.program = program;
        this.kernel = kernel;
    }

    KernelLaunch arg(int value) {
        args.add(arena.allocateFrom(JAVA_INT, value));
        return this;
    }

    KernelLaunch arg(float value) {
        args.add(arena.allocateFrom(JAVA_FLOAT, value));
        return this;
    }

    KernelLaunch buffer(OpenClStorage storage) {
        MemorySegment handle = arena.allocate(ADDRESS);
        handle.set(ADDRESS, 0, storage.buffer);
        args.add(handle);
        return this;
    }

    /** The tensor's buffer followed by its view (rank, offset, contiguous flag, dtype, shape, strides). */
    KernelLaunch tensor(Tensor t) {
        OpenClStorage storage = OpenClBackend.storage(t, kernel);
        if (((OpenClBackend) storage.backend()).device() != device)
            throw new IllegalArgumentException("OpenCL " + kernel + ": tensor " + t + " lives on another OpenCL device");
        buffer(storage);
        int[] shape = t.shape(), strides = t.strides();
        if (shape.length > MAX_RANK)
            throw new IllegalArgumentException("OpenCL " + kernel + ": tensor " + t + " has rank " + shape.length + ", at most " + MAX_RANK + " is supported");
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

    /** One work-item per element, in groups of 128 (the last group partly idle). */
    void runFlat(long items) {
        run(new long[] {roundUp(items, 128)}, new long[] {128});
    }

    /** global[i] must be a multiple of local[i]; local may be null to let the driver choose. */
    void run(long[] global, long[] local) {
        try (arena) {
            for (long g : global) if (g == 0) return; // nothing to do (OpenCL rejects empty ranges)
            OpenCl cl = device.cl;
            synchronized (device) {
                MemorySegment k = device.kernel(program, kernel);
                for (int i = 0; i < args.size(); i++) cl.setKernelArg(k, i, args.get(i).byteSize(), args.get(i), kernel);
                cl.enqueueKernel(device.queue, k, global, local, kernel);
            }
        }
    }

    static long roundUp(long n, long multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }
}
