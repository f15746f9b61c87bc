package dev.gmsa.tensor.device;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.KnownIdsStorage;

import java.lang.ref.Cleaner;

/** A device buffer of {@code length} elements of one dtype; freed when the storage becomes unreachable. */
public final class DeviceStorage extends KnownIdsStorage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final DeviceBackend backend;
    private final DType dtype;
    private final int length;
    /** The runtime's buffer handle. */
    final long buffer;

    DeviceStorage(DeviceBackend backend, DType dtype, int length, long buffer) {
        this.backend = backend;
        this.dtype = dtype;
        this.length = length;
        this.buffer = buffer;
        long bytes = byteSize(dtype, length);
        backend.memory().allocated(bytes);
        CLEANER.register(this, new Release(backend.runtime(), backend.memory(), buffer, bytes));
    }

    /** Captures only the handle, never the storage, so the storage can become unreachable. */
    private record Release(DeviceRuntime runtime, DeviceMemory memory, long buffer, long bytes) implements Runnable {
        @Override
        public void run() {
            runtime.free(buffer);
            memory.released(bytes);
        }
    }

    static long byteSize(DType dtype, int length) {
        return Math.max(1, (long) length) * dtype.byteSize(); // neither API has zero-byte buffers
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
