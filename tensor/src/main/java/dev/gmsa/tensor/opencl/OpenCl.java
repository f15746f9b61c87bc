package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.device.LoadedOnce;
import dev.gmsa.tensor.device.NativeCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few OpenCL 1.2 entry points the backend calls, bound with the foreign-function API (no JNI). Every
 * wrapper checks the returned status and throws {@link OpenClException} naming the call and the CL error.
 * Handles (platforms, devices, queues, buffers, kernels) are plain {@link MemorySegment} addresses.
 */
final class OpenCl {
    static final int CL_SUCCESS = 0;
    static final long CL_DEVICE_TYPE_ALL = 0xFFFFFFFFL;
    static final int CL_DEVICE_TYPE = 0x1000, CL_DEVICE_MAX_COMPUTE_UNITS = 0x1002, CL_DEVICE_MAX_WORK_GROUP_SIZE = 0x1004,
            CL_DEVICE_SINGLE_FP_CONFIG = 0x101B, CL_DEVICE_GLOBAL_MEM_SIZE = 0x101F, CL_DEVICE_LOCAL_MEM_SIZE = 0x1023,
            CL_DEVICE_NAME = 0x102B, CL_DEVICE_VENDOR = 0x102C, CL_DEVICE_EXTENSIONS = 0x1030, CL_PLATFORM_NAME = 0x0902;
    static final long CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT = 1 << 7;
    static final int CL_PROGRAM_BUILD_LOG = 0x1183;
    static final long CL_MEM_READ_WRITE = 1;
    static final int CL_MEM_OBJECT_ALLOCATION_FAILURE = -4, CL_OUT_OF_RESOURCES = -5;

    private static final String[] LIBRARY_NAMES = {"libOpenCL.so.1", "libOpenCL.so", "OpenCL"};

    private final MethodHandle getPlatformIDs, getPlatformInfo, getDeviceIDs, getDeviceInfo, createContext, createCommandQueue,
            createBuffer, releaseMemObject, enqueueWriteBuffer, enqueueReadBuffer, enqueueFillBuffer, enqueueCopyBuffer, createProgramWithSource,
            buildProgram, getProgramBuildInfo, releaseProgram, createKernel, releaseKernel, setKernelArg, enqueueNDRangeKernel,
            finish;

    private OpenCl(SymbolLookup lib) {
        getPlatformIDs = bind(lib, "clGetPlatformIDs", JAVA_INT, ADDRESS, ADDRESS);
        getPlatformInfo = bind(lib, "clGetPlatformInfo", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        getDeviceIDs = bind(lib, "clGetDeviceIDs", ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        getDeviceInfo = bind(lib, "clGetDeviceInfo", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        createContext = bindHandle(lib, "clCreateContext", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        createCommandQueue = bindHandle(lib, "clCreateCommandQueue", ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
        createBuffer = bindHandle(lib, "clCreateBuffer", ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS);
        releaseMemObject = bind(lib, "clReleaseMemObject", ADDRESS);
        enqueueWriteBuffer = bind(lib, "clEnqueueWriteBuffer", ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueReadBuffer = bind(lib, "clEnqueueReadBuffer", ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        enqueueFillBuffer = bind(lib, "clEnqueueFillBuffer", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        enqueueCopyBuffer = bind(lib, "clEnqueueCopyBuffer", ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS);
        createProgramWithSource = bindHandle(lib, "clCreateProgramWithSource", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        buildProgram = bind(lib, "clBuildProgram", ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
        getProgramBuildInfo = bind(lib, "clGetProgramBuildInfo", ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, ADDRESS);
        releaseProgram = bind(lib, "clReleaseProgram", ADDRESS);
        createKernel = bindHandle(lib, "clCreateKernel", ADDRESS, ADDRESS, ADDRESS);
        releaseKernel = bind(lib, "clReleaseKernel", ADDRESS);
        setKernelArg = bind(lib, "clSetKernelArg", ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS);
        enqueueNDRangeKernel = bind(lib, "clEnqueueNDRangeKernel", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        finish = bind(lib, "clFinish", ADDRESS);
    }

    private static final LoadedOnce<OpenCl> LOADED = new LoadedOnce<>(OpenCl::load, OpenClException::new);

    /** The bindings, loaded once; throws {@link OpenClException} when no OpenCL library can be opened. */
    static OpenCl get() {
        return LOADED.get();
    }

    private static OpenCl load() {
        for (String name : LIBRARY_NAMES) {
            SymbolLookup lib = NativeCalls.openLibrary(name);
            if (lib == null) continue; // try the next name
            try {
                return new OpenCl(lib);
            } catch (IllegalArgumentException missingSymbol) { // an OpenCL 1.1 loader, say
                throw new OpenClException("OpenCL: " + name + " is not usable: " + missingSymbol.getMessage());
            }
        }
        throw new OpenClException("OpenCL: libOpenCL.so.1 not found; install ocl-icd-libopencl1 and a driver such as pocl-opencl-icd");
    }

    private static MethodHandle bind(SymbolLookup lib, String name, MemoryLayout... args) {
        return NativeCalls.bind(lib, "OpenCL library", name, JAVA_INT, args);
    }

    /** For the clCreate* calls that return a handle and report status through their last (int*) argument. */
    private static MethodHandle bindHandle(SymbolLookup lib, String name, MemoryLayout... args) {
        return NativeCalls.bind(lib, "OpenCL library", name, ADDRESS, args);
    }

    // ------------------------------------------------------------------------------------ calls

    int platformCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            int status = (int) invoke(getPlatformIDs, 0, MemorySegment.NULL, n);
            if (status == -1001) return 0; // CL_PLATFORM_NOT_FOUND_KHR: the ICD loader found no driver
            check("clGetPlatformIDs", status);
            return n.get(JAVA_INT, 0);
        }
    }

    MemorySegment[] platforms() {
        int count = platformCount();
        try (Arena arena = Arena.ofConfined()) {
            if (count == 0) return new MemorySegment[0];
            MemorySegment ids = arena.allocate(ADDRESS, count);
            check("clGetPlatformIDs", (int) invoke(getPlatformIDs, count, ids, MemorySegment.NULL));
            return handles(ids, count);
        }
    }

    MemorySegment[] devices(MemorySegment platform) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            int status = (int) invoke(getDeviceIDs, platform, CL_DEVICE_TYPE_ALL, 0, MemorySegment.NULL, n);
            if (status == -1) return new MemorySegment[0]; // CL_DEVICE_NOT_FOUND
            check("clGetDeviceIDs", status);
            int count = n.get(JAVA_INT, 0);
            MemorySegment ids = arena.allocate(ADDRESS, Math.max(count, 1));
            check("clGetDeviceIDs", (int) invoke(getDeviceIDs, platform, CL_DEVICE_TYPE_ALL, count, ids, MemorySegment.NULL));
            return handles(ids, count);
        }
    }

    private static MemorySegment[] handles(MemorySegment ids, int count) {
        MemorySegment[] out = new MemorySegment[count];
        for (int i = 0; i < count; i++) out[i] = ids.getAtIndex(ADDRESS, i);
        return out;
    }

    String platformString(MemorySegment platform, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            check("clGetPlatformInfo", (int) invoke(getPlatformInfo, platform, param, 0L, MemorySegment.NULL, size));
            MemorySegment text = arena.allocate(size.get(JAVA_LONG, 0) + 1);
            check("clGetPlatformInfo", (int) invoke(getPlatformInfo, platform, param, text.byteSize(), text, MemorySegment.NULL));
            return text.getString(0).trim();
        }
    }

    String deviceString(MemorySegment device, int param) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            check("clGetDeviceInfo", (int) invoke(getDeviceInfo, device, param, 0L, MemorySegment.NULL, size));
            MemorySegment text = arena.allocate(size.get(JAVA_LONG, 0) + 1);
            check("clGetDeviceInfo", (int) invoke(getDeviceInfo, device, param, text.byteSize(), text, MemorySegment.NULL));
            return text.getString(0).trim();
        }
    }

    /** A cl_uint, cl_ulong or size_t device property (read as 8 zeroed bytes, so 4-byte ones come out right too). */
    long deviceNumber(MemorySegment device, int param, int byteSize) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            check("clGetDeviceInfo", (int) invoke(getDeviceInfo, device, param, (long) byteSize, value, MemorySegment.NULL));
            return byteSize == 4 ? Integer.toUnsignedLong(value.get(JAVA_INT, 0)) : value.get(JAVA_LONG, 0);
        }
    }

    MemorySegment createContext(MemorySegment device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device);
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment ctx = (MemorySegment) invoke(createContext, MemorySegment.NULL, 1, devices, MemorySegment.NULL, MemorySegment.NULL, err);
            check("clCreateContext", err.get(JAVA_INT, 0));
            return ctx;
        }
    }

    MemorySegment createCommandQueue(MemorySegment context, MemorySegment device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment queue = (MemorySegment) invoke(createCommandQueue, context, device, 0L, err);
            check("clCreateCommandQueue", err.get(JAVA_INT, 0));
            return queue;
        }
    }

    /** A read-write buffer, or null when the device reports it is out of memory (the caller may collect garbage and retry). */
    MemorySegment createBufferOrNull(MemorySegment context, long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment mem = (MemorySegment) invoke(createBuffer, context, CL_MEM_READ_WRITE, bytes, MemorySegment.NULL, err);
            int status = err.get(JAVA_INT, 0);
            if (status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES) return null;
            check("clCreateBuffer(" + bytes + " bytes)", status);
            return mem;
        }
    }

    void releaseMemObject(MemorySegment mem) {
        check("clReleaseMemObject", (int) invoke(releaseMemObject, mem));
    }

    void writeBuffer(MemorySegment queue, MemorySegment mem, long offset, MemorySegment host) {
        check("clEnqueueWriteBuffer", (int) invoke(enqueueWriteBuffer, queue, mem, 1, offset, host.byteSize(), host, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    void readBuffer(MemorySegment queue, MemorySegment mem, long offset, MemorySegment host) {
        check("clEnqueueReadBuffer", (int) invoke(enqueueReadBuffer, queue, mem, 1, offset, host.byteSize(), host, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    void fillBuffer(MemorySegment queue, MemorySegment mem, MemorySegment pattern, long bytes) {
        check("clEnqueueFillBuffer", (int) invoke(enqueueFillBuffer, queue, mem, pattern, pattern.byteSize(), 0L, bytes, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    void copyBuffer(MemorySegment queue, MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long bytes) {
        check("clEnqueueCopyBuffer", (int) invoke(enqueueCopyBuffer, queue, src, dst, srcOffset, dstOffset, bytes, 0, MemorySegment.NULL, MemorySegment.NULL));
    }

    MemorySegment createProgram(MemorySegment context, String source) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment strings = arena.allocate(ADDRESS);
            strings.set(ADDRESS, 0, arena.allocateFrom(source));
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment program = (MemorySegment) invoke(createProgramWithSource, context, 1, strings, MemorySegment.NULL, err);
            check("clCreateProgramWithSource", err.get(JAVA_INT, 0));
            return program;
        }
    }

    /** Builds for one device; returns the CL status (the caller reads the log on failure). */
    int buildProgram(MemorySegment program, MemorySegment device, String options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment devices = arena.allocate(ADDRESS);
            devices.set(ADDRESS, 0, device);
            return (int) invoke(buildProgram, program, 1, devices, arena.allocateFrom(options), MemorySegment.NULL, MemorySegment.NULL);
        }
    }

    String buildLog(MemorySegment program, MemorySegment device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment size = arena.allocate(JAVA_LONG);
            check("clGetProgramBuildInfo", (int) invoke(getProgramBuildInfo, program, device, CL_PROGRAM_BUILD_LOG, 0L, MemorySegment.NULL, size));
            MemorySegment text = arena.allocate(size.get(JAVA_LONG, 0) + 1);
            check("clGetProgramBuildInfo", (int) invoke(getProgramBuildInfo, program, device, CL_PROGRAM_BUILD_LOG, text.byteSize(), text, MemorySegment.NULL));
            return text.getString(0).trim();
        }
    }

    void releaseProgram(MemorySegment program) {
        check("clReleaseProgram", (int) invoke(releaseProgram, program));
    }

    MemorySegment createKernel(MemorySegment program, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(JAVA_INT);
            MemorySegment kernel = (MemorySegment) invoke(createKernel, program, arena.allocateFrom(name), err);
            check("clCreateKernel(" + name + ")", err.get(JAVA_INT, 0));
            return kernel;
        }
    }

    void releaseKernel(MemorySegment kernel) {
        check("clReleaseKernel", (int) invoke(releaseKernel, kernel));
    }

    void setKernelArg(MemorySegment kernel, int index, long size, MemorySegment value, String kernelName) {
        int status;
        try { // invokeExact: this runs for every argument of every launch
            status = (int) setKernelArg.invokeExact(kernel, index, size, value);
        } catch (Throwable t) {
            throw new OpenClException("clSetKernelArg(" + kernelName + ") failed: " + t, t);
        }
        if (status != CL_SUCCESS) throw new OpenClException("clSetKernelArg(" + kernelName + ", arg " + index + ") failed: " + errorName(status));
    }

    void enqueueKernel(MemorySegment queue, MemorySegment kernel, long[] global, long[] local, String kernelName) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment g = arena.allocateFrom(JAVA_LONG, global);
            MemorySegment l = local == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_LONG, local);
            int status;
            try {
                status = (int) enqueueNDRangeKernel.invokeExact(queue, kernel, global.length, MemorySegment.NULL, g, l, 0,
                        MemorySegment.NULL, MemorySegment.NULL);
            } catch (Throwable t) {
                throw new OpenClException("clEnqueueNDRangeKernel(" + kernelName + ") failed: " + t, t);
            }
            if (status != CL_SUCCESS) throw new OpenClException("clEnqueueNDRangeKernel(" + kernelName + ") failed: " + errorName(status));
        }
    }

    void finish(MemorySegment queue) {
        check("clFinish", (int) invoke(finish, queue));
    }

    private static Object invoke(MethodHandle handle, Object... args) {
        return NativeCalls.invoke(handle, "OpenCL", OpenClException::new, args);
    }

    static void check(String call, int status) {
        if (status != CL_SUCCESS) throw new OpenClException(call + " failed: " + errorName(status));
    }

    private static final Map<Integer, String> ERRORS = Map.ofEntries(
            Map.entry(-1, "CL_DEVICE_NOT_FOUND"), Map.entry(-2, "CL_DEVICE_NOT_AVAILABLE"),
            Map.entry(-3, "CL_COMPILER_NOT_AVAILABLE"), Map.entry(-4, "CL_MEM_OBJECT_ALLOCATION_FAILURE"),
            Map.entry(-5, "CL_OUT_OF_RESOURCES"), Map.entry(-6, "CL_OUT_OF_HOST_MEMORY"),
            Map.entry(-7, "CL_PROFILING_INFO_NOT_AVAILABLE"), Map.entry(-11, "CL_BUILD_PROGRAM_FAILURE"),
            Map.entry(-13, "CL_MISALIGNED_SUB_BUFFER_OFFSET"), Map.entry(-30, "CL_INVALID_VALUE"),
            Map.entry(-32, "CL_INVALID_PLATFORM"), Map.entry(-33, "CL_INVALID_DEVICE"), Map.entry(-34, "CL_INVALID_CONTEXT"),
            Map.entry(-36, "CL_INVALID_COMMAND_QUEUE"), Map.entry(-37, "CL_INVALID_HOST_PTR"),
            Map.entry(-38, "CL_INVALID_MEM_OBJECT"), Map.entry(-43, "CL_INVALID_BUILD_OPTIONS"),
            Map.entry(-44, "CL_INVALID_PROGRAM"), Map.entry(-45, "CL_INVALID_PROGRAM_EXECUTABLE"),
            Map.entry(-46, "CL_INVALID_KERNEL_NAME"), Map.entry(-47, "CL_INVALID_KERNEL_DEFINITION"),
            Map.entry(-48, "CL_INVALID_KERNEL"), Map.entry(-49, "CL_INVALID_ARG_INDEX"), Map.entry(-50, "CL_INVALID_ARG_VALUE"),
            Map.entry(-51, "CL_INVALID_ARG_SIZE"), Map.entry(-52, "CL_INVALID_KERNEL_ARGS"),
            Map.entry(-53, "CL_INVALID_WORK_DIMENSION"), Map.entry(-54, "CL_INVALID_WORK_GROUP_SIZE"),
            Map.entry(-55, "CL_INVALID_WORK_ITEM_SIZE"), Map.entry(-56, "CL_INVALID_GLOBAL_OFFSET"),
            Map.entry(-61, "CL_INVALID_BUFFER_SIZE"), Map.entry(-63, "CL_INVALID_GLOBAL_WORK_SIZE"),
            Map.entry(-1001, "CL_PLATFORM_NOT_FOUND_KHR"));

    static String errorName(int status) {
        return ERRORS.getOrDefault(status, "CL error " + status) + " (" + status + ")";
    }
}
