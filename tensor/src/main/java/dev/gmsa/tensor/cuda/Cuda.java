package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.LoadedOnce;
import dev.gmsa.tensor.device.NativeCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The few CUDA driver API entry points the backend calls (libcuda.so.1, shipped with the NVIDIA driver), bound
 * with the foreign-function API. Every wrapper checks the CUresult and throws {@link CudaException} naming
 * the call, the error's name and description, and what it was working on. Devices are ints; contexts,
 * modules and functions are addresses; device pointers (CUdeviceptr) are longs.
 */
final class Cuda {
    static final int CUDA_SUCCESS = 0, CUDA_ERROR_OUT_OF_MEMORY = 2, CUDA_ERROR_NO_DEVICE = 100,
            CUDA_ERROR_UNSUPPORTED_PTX_VERSION = 222;
    static final int CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
            CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
    private static final int CU_JIT_INFO_LOG_BUFFER = 3, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES = 4,
            CU_JIT_ERROR_LOG_BUFFER = 5, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
    private static final int JIT_LOG_BYTES = 16 * 1024;

    /** The driver library; -Dgmsa.cuda.library=/path/libcuda.so.1 picks another (a test points it at a fake driver). */
    static final String LIBRARY = System.getProperty("gmsa.cuda.library", "libcuda.so.1");

    private final MethodHandle init, driverGetVersion, deviceGetCount, deviceGet, deviceGetName, deviceTotalMem, deviceGetAttribute,
            primaryCtxRetain, ctxSetCurrent, ctxSynchronize, moduleLoadDataEx, moduleGetFunction, launchKernel,
            memAlloc, memFree, memcpyHtoD, memcpyDtoH, memcpyDtoD, memsetD8, getErrorName, getErrorString;

    private Cuda(SymbolLookup lib) {
        init = bind(lib, "cuInit", JAVA_INT);
        driverGetVersion = bind(lib, "cuDriverGetVersion", ADDRESS);
        deviceGetCount = bind(lib, "cuDeviceGetCount", ADDRESS);
        deviceGet = bind(lib, "cuDeviceGet", ADDRESS, JAVA_INT);
        deviceGetName = bind(lib, "cuDeviceGetName", ADDRESS, JAVA_INT, JAVA_INT);
        deviceTotalMem = bind(lib, "cuDeviceTotalMem_v2", ADDRESS, JAVA_INT);
        deviceGetAttribute = bind(lib, "cuDeviceGetAttribute", ADDRESS, JAVA_INT, JAVA_INT);
        primaryCtxRetain = bind(lib, "cuDevicePrimaryCtxRetain", ADDRESS, JAVA_INT);
        ctxSetCurrent = bind(lib, "cuCtxSetCurrent", ADDRESS);
        ctxSynchronize = bind(lib, "cuCtxSynchronize");
        moduleLoadDataEx = bind(lib, "cuModuleLoadDataEx", ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        moduleGetFunction = bind(lib, "cuModuleGetFunction", ADDRESS, ADDRESS, ADDRESS);
        launchKernel = bind(lib, "cuLaunchKernel", ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
                JAVA_INT, ADDRESS, ADDRESS, ADDRESS);
        memAlloc = bind(lib, "cuMemAlloc_v2", ADDRESS, JAVA_LONG);
        memFree = bind(lib, "cuMemFree_v2", JAVA_LONG);
        memcpyHtoD = bind(lib, "cuMemcpyHtoD_v2", JAVA_LONG, ADDRESS, JAVA_LONG);
        memcpyDtoH = bind(lib, "cuMemcpyDtoH_v2", ADDRESS, JAVA_LONG, JAVA_LONG);
        memcpyDtoD = bind(lib, "cuMemcpyDtoD_v2", JAVA_LONG, JAVA_LONG, JAVA_LONG);
        memsetD8 = bind(lib, "cuMemsetD8_v2", JAVA_LONG, JAVA_BYTE, JAVA_LONG);
        getErrorName = bind(lib, "cuGetErrorName", JAVA_INT, ADDRESS);
        getErrorString = bind(lib, "cuGetErrorString", JAVA_INT, ADDRESS);
    }

    private static final LoadedOnce<Cuda> LOADED = new LoadedOnce<>(Cuda::load, CudaException::new);

    /**
     * The bindings with cuInit done, loaded once; throws {@link CudaException} when libcuda.so.1 cannot be
     * opened (no NVIDIA driver) or cuInit fails. Never crashes the JVM: a missing library is a failed dlopen.
     */
    static Cuda get() {
        return LOADED.get();
    }

    private static Cuda load() {
        SymbolLookup lib = NativeCalls.openLibrary(LIBRARY);
        if (lib == null)
            throw new CudaException("CUDA: " + LIBRARY + " not found: the NVIDIA driver is not installed (it ships libcuda; "
                    + "install it, e.g. the nvidia-driver or libnvidia-compute package, to use --device cuda)");
        Cuda cuda;
        try {
            cuda = new Cuda(lib);
        } catch (IllegalArgumentException missingSymbol) {
            throw new CudaException("CUDA: " + LIBRARY + " is not usable (driver too old?): " + missingSymbol.getMessage());
        }
        int status = (int) invoke(cuda.init, 0);
        if (status != CUDA_SUCCESS)
            throw new CudaException("CUDA: cuInit failed: " + cuda.describe(status)
                    + (status == CUDA_ERROR_NO_DEVICE ? " (the NVIDIA driver is installed but sees no GPU)"
                    : " (check the NVIDIA driver: nvidia-smi should list the GPU)"));
        return cuda;
    }

    private static MethodHandle bind(SymbolLookup lib, String name, MemoryLayout... args) {
        return NativeCalls.bind(lib, LIBRARY, name, JAVA_INT, args); // every driver call returns a CUresult
    }

    private static Object invoke(MethodHandle handle, Object... args) {
        return NativeCalls.invoke(handle, "CUDA", CudaException::new, args);
    }

    /** Throws unless {@code status} is CUDA_SUCCESS; {@code what} names the call and its subject, e.g. "cuLaunchKernel(sgemm)". */
    void check(String what, int status) {
        if (status != CUDA_SUCCESS) throw new CudaException("CUDA: " + what + " failed: " + describe(status));
    }

    /** "CUDA_ERROR_OUT_OF_MEMORY (2): out of memory", from the driver's own tables. */
    String describe(int status) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(ADDRESS), text = arena.allocate(ADDRESS);
            boolean named = (int) invoke(getErrorName, status, name) == CUDA_SUCCESS;
            boolean described = (int) invoke(getErrorString, status, text) == CUDA_SUCCESS;
            return (named ? cString(name.get(ADDRESS, 0)) : "CUresult") + " (" + status + ")"
                    + (described ? ": " + cString(text.get(ADDRESS, 0)) : "");
        }
    }

    private static String cString(MemorySegment pointer) {
        return pointer.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    // ------------------------------------------------------------------------------------ devices and contexts

    /** The newest CUDA version the driver supports, as 1000 * major + 10 * minor (12040 for 12.4). */
    int driverVersion() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment version = arena.allocate(JAVA_INT);
            check("cuDriverGetVersion", (int) invoke(driverGetVersion, version));
            return version.get(JAVA_INT, 0);
        }
    }

    int deviceCount() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(JAVA_INT);
            check("cuDeviceGetCount", (int) invoke(deviceGetCount, n));
            return n.get(JAVA_INT, 0);
        }
    }

    int device(int ordinal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment device = arena.allocate(JAVA_INT);
            check("cuDeviceGet(" + ordinal + ")", (int) invoke(deviceGet, device, ordinal));
            return device.get(JAVA_INT, 0);
        }
    }

    String deviceName(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocate(256);
            check("cuDeviceGetName", (int) invoke(deviceGetName, name, 256, device));
            return name.getString(0).trim();
        }
    }

    long totalMemory(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(JAVA_LONG);
            check("cuDeviceTotalMem_v2", (int) invoke(deviceTotalMem, bytes, device));
            return bytes.get(JAVA_LONG, 0);
        }
    }

    int attribute(int device, int attribute) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_INT);
            check("cuDeviceGetAttribute(" + attribute + ")", (int) invoke(deviceGetAttribute, value, attribute, device));
            return value.get(JAVA_INT, 0);
        }
    }

    /** The device's primary context (the one the CUDA runtime API would use too), retained for the process. */
    MemorySegment primaryContext(int device) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment context = arena.allocate(ADDRESS);
            check("cuDevicePrimaryCtxRetain", (int) invoke(primaryCtxRetain, context, device));
            return context.get(ADDRESS, 0);
        }
    }

    /** Contexts are current per thread: every entry point of the runtime makes its context current first. */
    void setCurrent(MemorySegment context) {
        check("cuCtxSetCurrent", (int) invoke(ctxSetCurrent, context));
    }

    void synchronize() {
        check("cuCtxSynchronize", (int) invoke(ctxSynchronize));
    }

    // ------------------------------------------------------------------------------------ modules and launches

    /**
     * Loads PTX text (JIT-compiled by the driver for this GPU); on failure the exception holds the JIT's error
     * log. Returns null instead when the driver is older than the PTX (CUDA_ERROR_UNSUPPORTED_PTX_VERSION), so
     * the caller can compile the source again with an NVRTC that matches the driver.
     */
    MemorySegment loadModuleOrNullIfPtxTooNew(String ptx, String programName) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errorLog = arena.allocate(JIT_LOG_BYTES), infoLog = arena.allocate(JIT_LOG_BYTES);
            MemorySegment options = arena.allocateFrom(JAVA_INT, CU_JIT_ERROR_LOG_BUFFER, CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                    CU_JIT_INFO_LOG_BUFFER, CU_JIT_INFO_LOG_BUFFER_SIZE_BYTES);
            MemorySegment values = arena.allocate(ADDRESS, 4); // sizes travel as pointer-sized integers
            values.setAtIndex(ADDRESS, 0, errorLog);
            values.setAtIndex(ADDRESS, 1, MemorySegment.ofAddress(JIT_LOG_BYTES));
            values.setAtIndex(ADDRESS, 2, infoLog);
            values.setAtIndex(ADDRESS, 3, MemorySegment.ofAddress(JIT_LOG_BYTES));
            MemorySegment module = arena.allocate(ADDRESS);
            int status = (int) invoke(moduleLoadDataEx, module, arena.allocateFrom(ptx), 4, options, values);
            if (status == CUDA_ERROR_UNSUPPORTED_PTX_VERSION) return null;
            if (status != CUDA_SUCCESS)
                throw new CudaException("CUDA: cuModuleLoadDataEx(" + programName + ") failed: " + describe(status)
                        + "\nJIT log:\n" + errorLog.getString(0) + infoLog.getString(0));
            return module.get(ADDRESS, 0);
        }
    }

    MemorySegment function(MemorySegment module, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment function = arena.allocate(ADDRESS);
            check("cuModuleGetFunction(" + name + ")", (int) invoke(moduleGetFunction, function, module, arena.allocateFrom(name)));
            return function.get(ADDRESS, 0);
        }
    }

    /** On the default stream; {@code params} is the array of pointers to each argument's bytes. */
    void launch(MemorySegment function, int[] grid, int[] block, MemorySegment params, String kernelName) {
        int status;
        try { // invokeExact: this runs for every kernel launch
            status = (int) launchKernel.invokeExact(function, grid[0], grid[1], grid[2], block[0], block[1], block[2], 0,
                    MemorySegment.NULL, params, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new CudaException("CUDA: cuLaunchKernel(" + kernelName + ") failed: " + t, t);
        }
        check("cuLaunchKernel(" + kernelName + ", grid " + grid[0] + "x" + grid[1] + "x" + grid[2]
                + ", block " + block[0] + "x" + block[1] + "x" + block[2] + ")", status);
    }

    // ------------------------------------------------------------------------------------ memory

    /** A device pointer, or 0 when the device is out of memory. */
    long allocateOrZero(long bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pointer = arena.allocate(JAVA_LONG);
            int status = (int) invoke(memAlloc, pointer, bytes);
            if (status == CUDA_ERROR_OUT_OF_MEMORY) return 0;
            check("cuMemAlloc_v2(" + bytes + " bytes)", status);
            return pointer.get(JAVA_LONG, 0);
        }
    }

    void free(long pointer) {
        check("cuMemFree_v2", (int) invoke(memFree, pointer));
    }

    void copyToDevice(long dst, MemorySegment host) {
        check("cuMemcpyHtoD_v2(" + host.byteSize() + " bytes)", (int) invoke(memcpyHtoD, dst, host, host.byteSize()));
    }

    void copyToHost(MemorySegment host, long src) {
        check("cuMemcpyDtoH_v2(" + host.byteSize() + " bytes)", (int) invoke(memcpyDtoH, host, src, host.byteSize()));
    }

    void copyOnDevice(long dst, long src, long bytes) {
        check("cuMemcpyDtoD_v2(" + bytes + " bytes)", (int) invoke(memcpyDtoD, dst, src, bytes));
    }

    void fillBytes(long dst, byte value, long bytes) {
        check("cuMemsetD8_v2(" + bytes + " bytes)", (int) invoke(memsetD8, dst, value, bytes));
    }
}
