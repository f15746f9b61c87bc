package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.device.DeviceRuntime;
import dev.gmsa.tensor.device.KernelDialect;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One OpenCL device with its context and in-order command queue, and the programs built for it: each program
 * (the OpenCL dialect of a shared kernel source, see {@link KernelDialect}) is compiled once, on first use,
 * and its kernels cached.
 */
final class OpenClRuntime implements DeviceRuntime {
    final OpenCl cl;
    final MemorySegment device, context, queue;
    final String name;
    private final String buildOptions;
    private final Map<String, MemorySegment> programs = new HashMap<>();
    private final Map<String, MemorySegment> kernels = new HashMap<>();

    private OpenClRuntime(OpenCl cl, MemorySegment device) {
        this.cl = cl;
        this.device = device;
        this.name = cl.deviceString(device, OpenCl.CL_DEVICE_NAME);
        this.context = cl.createContext(device);
        this.queue = cl.createCommandQueue(context, device);
        long fpConfig = cl.deviceNumber(device, OpenCl.CL_DEVICE_SINGLE_FP_CONFIG, 8);
        // correctly rounded float division and sqrt, so DIV, SQRT and RECIPROCAL match Java bit for bit without fp64
        this.buildOptions = "-cl-std=CL1.2" + ((fpConfig & OpenCl.CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0
                ? " -cl-fp32-correctly-rounded-divide-sqrt" : "");
    }

    /** Every device of every platform, in platform order. */
    static List<MemorySegment> allDevices(OpenCl cl) {
        List<MemorySegment> out = new ArrayList<>();
        for (MemorySegment platform : cl.platforms()) out.addAll(List.of(cl.devices(platform)));
        return out;
    }

    static OpenClRuntime open(int index) {
        OpenCl cl = OpenCl.get();
        List<MemorySegment> devices = allDevices(cl);
        if (devices.isEmpty())
            throw new OpenClException("OpenCL: no OpenCL device (the ICD loader found no platform with a device; install a driver such as pocl-opencl-icd)");
        if (index < 0 || index >= devices.size())
            throw new OpenClException("OpenCL: device " + index + " does not exist; there are " + devices.size() + " (see describeDevices())");
        return new OpenClRuntime(cl, devices.get(index));
    }

    /** One line per device: name, vendor, type, compute units, global memory. */
    static String describe(OpenCl cl, MemorySegment device) {
        long type = cl.deviceNumber(device, OpenCl.CL_DEVICE_TYPE, 8);
        String kind = (type & 4) != 0 ? "GPU" : (type & 2) != 0 ? "CPU" : (type & 8) != 0 ? "accelerator" : "other";
        return cl.deviceString(device, OpenCl.CL_DEVICE_NAME) + " (" + cl.deviceString(device, OpenCl.CL_DEVICE_VENDOR) + "), " + kind
                + ", " + cl.deviceNumber(device, OpenCl.CL_DEVICE_MAX_COMPUTE_UNITS, 4) + " compute units, "
                + cl.deviceNumber(device, OpenCl.CL_DEVICE_GLOBAL_MEM_SIZE, 8) / (1024 * 1024) + " MiB global memory";
    }

    @Override
    public String platform() {
        return "opencl";
    }

    @Override
    public String deviceName() {
        return name;
    }

    // ------------------------------------------------------------------------------------------ memory

    @Override
    public long allocateOrZero(long bytes) {
        MemorySegment buffer = cl.createBufferOrNull(context, bytes);
        return buffer == null ? 0 : buffer.address();
    }

    @Override
    public void free(long buffer) {
        cl.releaseMemObject(MemorySegment.ofAddress(buffer)); // OpenCL keeps it until the queued kernels are done
    }

    @Override
    public void fillZero(long buffer, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            cl.fillBuffer(queue, MemorySegment.ofAddress(buffer), arena.allocateFrom(JAVA_BYTE, (byte) 0), bytes);
        }
    }

    @Override
    public void write(long buffer, MemorySegment host) {
        cl.writeBuffer(queue, MemorySegment.ofAddress(buffer), 0, host);
    }

    @Override
    public void read(long buffer, long byteOffset, MemorySegment host) {
        cl.readBuffer(queue, MemorySegment.ofAddress(buffer), byteOffset, host);
    }

    @Override
    public void copy(long src, long srcByteOffset, long dst, long dstByteOffset, long bytes) {
        cl.copyBuffer(queue, MemorySegment.ofAddress(src), srcByteOffset, MemorySegment.ofAddress(dst), dstByteOffset, bytes);
    }

    @Override
    public void finish() {
        cl.finish(queue);
    }

    // ------------------------------------------------------------------------------------------ kernels

    /** Kernel objects are shared and clSetKernelArg + enqueue must not interleave between threads: one launch at a time. */
    @Override
    public synchronized void launch(String program, String kernel, long[] global, long[] local, List<MemorySegment> args) {
        MemorySegment k = kernel(program, kernel);
        for (int i = 0; i < args.size(); i++) cl.setKernelArg(k, i, args.get(i).byteSize(), args.get(i), kernel);
        cl.enqueueKernel(queue, k, global, local, kernel);
    }

    /** The kernel {@code kernelName} of {@code programName}, building the program on first use. */
    private MemorySegment kernel(String programName, String kernelName) {
        MemorySegment kernel = kernels.get(kernelName);
        if (kernel != null) return kernel;
        MemorySegment program = programs.get(programName);
        if (program == null) {
            program = build(programName, KernelDialect.OPENCL.source(programName));
            programs.put(programName, program);
        }
        kernel = cl.createKernel(program, kernelName);
        kernels.put(kernelName, kernel);
        return kernel;
    }

    /** Compiles {@code source}; on failure the exception carries the compiler's build log. */
    synchronized MemorySegment build(String programName, String source) {
        MemorySegment program = cl.createProgram(context, source);
        int status = cl.buildProgram(program, device, buildOptions);
        if (status != OpenCl.CL_SUCCESS) {
            String log = cl.buildLog(program, device);
            cl.releaseProgram(program);
            throw new OpenClException("OpenCL: clBuildProgram(" + programName + ".cl) failed: " + OpenCl.errorName(status)
                    + " on " + name + "\nbuild log:\n" + log);
        }
        return program;
    }
}
