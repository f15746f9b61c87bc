package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Storage;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;

/** A device buffer (cl_mem) of {@code length} elements of one dtype; released when the storage becomes unreachable. */
public final class OpenClStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final OpenClBackend backend;
    private final DType dtype;
    private final int length;
    /** The cl_mem handle. */
    final MemorySegment buffer;

    OpenClStorage(OpenClBackend backend, DType dtype, int length, MemorySegment buffer) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.buffer = buffer;
        CLEANER.register(this, new Release(backend.device().cl, buffer));
    }

    /** Captures only the handle, never the storage, so the storage can become unreachable. */
    private record Release(OpenCl cl, MemorySegment buffer) implements Runnable {
        @Override
        public void run() {
            cl.releaseMemObject(buffer);
        }
    }

    static long byteSize(DType dtype, int length) {
        return Math.max(1, (long) length) * dtype.byteSize(); // OpenCL has no zero-byte buffers
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }
}
