package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.DeviceRuntime;
import dev.gmsa.tensor.device.KernelDialect;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;

/**
 * One CUDA device through the driver API: its primary context, device memory, and the kernel programs as
 * modules. A program's PTX is the one nvcc built into the jar (resources dev/gmsa/tensor/kernels/ptx, when the
 * build machine had nvcc), else NVRTC compiles the CUDA dialect of its source at run time. All work goes to
 * the default stream, so it runs in issue order and the synchronous copies wait for the kernels before them.
 */
final class CudaRuntime implements DeviceRuntime {
    static final String PTX_FOLDER = KernelDialect.RESOURCE_FOLDER + "ptx/";
    private static final int MAX_BLOCK_THREADS = 1024, MAX_GRID_YZ = 65535;

    private final Cuda cuda;
    private final MemorySegment context;
    private final String name;
    private final int computeMajor, computeMinor;
    private final Map<String, MemorySegment> modules = new HashMap<>();
    private final Map<String, MemorySegment> functions = new HashMap<>();

    private CudaRuntime(Cuda cuda, int device) {
        this.cuda = cuda;
        this.name = cuda.deviceName(device);
        this.computeMajor = cuda.attribute(device, Cuda.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.computeMinor = cuda.attribute(device, Cuda.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.context = cuda.primaryContext(device);
    }

    static CudaRuntime open(int index) {
        Cuda cuda = Cuda.get();
        int count = cuda.deviceCount();
        if (index < 0 || index >= count)
            throw new CudaException("CUDA: device " + index + " does not exist; there are " + count + " (see bin/gmsa devices)");
        return new CudaRuntime(cuda, cuda.device(index));
    }

    /** "name, compute capability X.Y, N multiprocessors, M MiB global memory" for device {@code index}. */
    static String describe(Cuda cuda, int index) {
        int device = cuda.device(index);
        return cuda.deviceName(device) + ", compute capability " + cuda.attribute(device, Cuda.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)
                + "." + cuda.attribute(device, Cuda.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR) + ", "
                + cuda.attribute(device, Cuda.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT) + " multiprocessors, "
                + cuda.totalMemory(device) / (1024 * 1024) + " MiB global memory";
    }

    /** The context is current per thread and the backend is called from many: every entry point sets it first. */
    private void current() {
        cuda.setCurrent(context);
    }

    @Override
    public String platform() {
        return "cuda";
    }

    @Override
    public String deviceName() {
        return name;
    }

    // ------------------------------------------------------------------------------------------ memory

    @Override
    public long allocateOrZero(long bytes) {
        current();
        return cuda.allocateOrZero(bytes);
    }

    @Override
    public void free(long buffer) {
        current();
        cuda.synchronize(); // a kernel already launched may still read the buffer (OpenCL defers the release itself)
        cuda.free(buffer);
    }

    @Override
    public void fillZero(long buffer, long bytes) {
        current();
        cuda.fillBytes(buffer, (byte) 0, bytes);
    }

    @Override
    public void write(long buffer, MemorySegment host) {
        current();
        cuda.copyToDevice(buffer, host);
    }

    @Override
    public void read(long buffer, long byteOffset, MemorySegment host) {
        current();
        cuda.copyToHost(host, buffer + byteOffset);
    }

    @Override
    public void copy(long src, long srcByteOffset, long dst, long dstByteOffset, long bytes) {
        current();
        cuda.copyOnDevice(dst + dstByteOffset, src + srcByteOffset, bytes);
    }

    @Override
    public void finish() {
        current();
        cuda.synchronize();
    }

    // ------------------------------------------------------------------------------------------ kernels

    @Override
    public void launch(String program, String kernel, long[] global, long[] local, List<MemorySegment> args) {
        int[][] gridAndBlock = gridAndBlock(global, local, kernel);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment params = arena.allocate(ADDRESS, Math.max(1, args.size())); // kernelParams[i] -> argument i's bytes
            for (int i = 0; i < args.size(); i++) params.setAtIndex(ADDRESS, i, args.get(i));
            current();
            cuda.launch(function(program, kernel), gridAndBlock[0], gridAndBlock[1], params, kernel);
        }
    }

    /**
     * CUDA's (grid, block) for an OpenCL range: block = local, grid = global / local, in three dimensions.
     * With {@code local} null (the OpenCL driver would choose) the block is the largest power of two up to 256
     * that divides global[0], and 1 in the other dimensions.
     */
    static int[][] gridAndBlock(long[] global, long[] local, String kernel) {
        int[] grid = {1, 1, 1}, block = {1, 1, 1};
        long threads = 1;
        for (int d = 0; d < global.length; d++) {
            long l = local != null ? local[d] : d == 0 ? Math.min(256, Long.lowestOneBit(global[0])) : 1;
            if (l <= 0 || global[d] % l != 0)
                throw new IllegalArgumentException("CUDA " + kernel + ": global size " + global[d] + " in dimension " + d
                        + " is not a multiple of the work-group size " + l);
            long groups = global[d] / l;
            if (groups > (d == 0 ? Integer.MAX_VALUE : MAX_GRID_YZ))
                throw new CudaException("CUDA " + kernel + ": " + groups + " blocks in dimension " + d + " exceed the grid limit");
            grid[d] = (int) groups;
            block[d] = (int) l;
            threads *= l;
        }
        if (threads > MAX_BLOCK_THREADS)
            throw new CudaException("CUDA " + kernel + ": " + threads + " threads per block exceed " + MAX_BLOCK_THREADS);
        return new int[][] {grid, block};
    }

    /** The kernel's CUfunction, loading its program's module on first use. */
    private synchronized MemorySegment function(String program, String kernel) {
        MemorySegment function = functions.get(kernel);
        if (function != null) return function;
        MemorySegment module = modules.get(program);
        if (module == null) {
            module = loadModule(program);
            modules.put(program, module);
        }
        function = cuda.function(module, kernel);
        functions.put(kernel, function);
        return function;
    }

    private MemorySegment loadModule(String program) {
        String prebuilt = prebuiltPtx(program);
        if (prebuilt != null) {
            MemorySegment module = cuda.loadModuleOrNullIfPtxTooNew(prebuilt, program);
            if (module != null) return module;
            if (!Nvrtc.available()) { // the driver is older than nvcc: declare the PTX version it knows (see PtxVersion)
                int driver = cuda.driverVersion();
                module = cuda.loadModuleOrNullIfPtxTooNew(PtxVersion.declare(prebuilt, PtxVersion.newestFor(driver)), program);
                if (module != null) return module;
                throw new CudaException("CUDA: the driver (CUDA " + driver / 1000 + "." + driver % 1000 / 10 + ") is older than the PTX of "
                        + program + " built by nvcc (CUDA_ERROR_UNSUPPORTED_PTX_VERSION) and NVRTC is not installed: update the "
                        + "NVIDIA driver, or install the NVRTC library (libnvrtc.so) of a CUDA toolkit the driver supports");
            }
        } else if (!Nvrtc.available()) {
            throw new CudaException("CUDA: this build holds no PTX for " + program + " (nvcc was not found when it was built) "
                    + "and NVRTC is not installed: install the CUDA toolkit's NVRTC library (libnvrtc.so, e.g. package "
                    + "cuda-nvrtc-12-x), or rebuild with nvcc at /usr/local/cuda/bin/nvcc");
        }
        String ptx = Nvrtc.get().compile(KernelDialect.CUDA.source(program), program, nvrtcOptions());
        MemorySegment module = cuda.loadModuleOrNullIfPtxTooNew(ptx, program);
        if (module == null) throw new CudaException("CUDA: the driver rejects the PTX version of NVRTC's output for " + program
                + " (CUDA_ERROR_UNSUPPORTED_PTX_VERSION): install an NVRTC no newer than the driver");
        return module;
    }

    /** The same flags as the nvcc build (tensor/pom.xml), for this GPU's architecture. */
    private List<String> nvrtcOptions() {
        return List.of("--gpu-architecture=compute_" + computeMajor + computeMinor, "--fmad=false");
    }

    /**
     * The PTX nvcc built into the jar for {@code program}, or null when the build had no nvcc; another module's
     * program (a resource path) may ship its PTX beside its .cl file, else NVRTC compiles it at run time.
     */
    static String prebuiltPtx(String program) {
        String path = KernelDialect.isExternal(program) ? "/" + program + ".ptx" : PTX_FOLDER + program + ".ptx";
        try (InputStream in = CudaRuntime.class.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CudaException("CUDA: cannot read " + path, e);
        }
    }
}
