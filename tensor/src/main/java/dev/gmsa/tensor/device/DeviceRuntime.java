package dev.gmsa.tensor.device;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What {@link DeviceBackend} needs from a GPU API, implemented once for OpenCL and once for CUDA: device
 * buffers, copies, and launching a kernel of one of the programs in {@link KernelDialect#PROGRAMS}. Buffers
 * are plain 64-bit handles (a cl_mem address or a CUdeviceptr). Commands run in the order they are issued;
 * {@link #read} waits for the kernels before it.
 */
public interface DeviceRuntime {
    /** "opencl" or "cuda": the prefix of the backend's name and of {@code --device}. */
    String platform();

    /** The device's name as its driver reports it. */
    String deviceName();

    /** A buffer of {@code bytes} bytes (at least 1), or 0 when the device is out of memory. */
    long allocateOrZero(long bytes);

    /** Releases a buffer once the commands already issued that use it are done. */
    void free(long buffer);

    void fillZero(long buffer, long bytes);

    /** Copies all of {@code host} to the start of {@code buffer}. */
    void write(long buffer, MemorySegment host);

    /** Fills {@code host} from {@code buffer} starting at {@code byteOffset}, after every command issued before. */
    void read(long buffer, long byteOffset, MemorySegment host);

    void copy(long src, long srcByteOffset, long dst, long dstByteOffset, long bytes);

    /**
     * Launches {@code kernel} of {@code program} (compiled on first use) over an OpenCL-style range:
     * {@code global[d]} work-items in dimension d, in work-groups of {@code local[d]} (a divisor of global[d]);
     * {@code local} null lets the runtime choose. {@code args} holds each argument's bytes, in order.
     */
    void launch(String program, String kernel, long[] global, long[] local, List<MemorySegment> args);

    /** Waits until every issued command is done. */
    void finish();
}
