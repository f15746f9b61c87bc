package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.DeviceBackend;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.gmsa.tensor.Backend} on an NVIDIA GPU through the CUDA driver API (for machines without an
 * OpenCL ICD): the shared dispatch of {@link DeviceBackend} over a {@link CudaRuntime}, running the same
 * kernel sources as the OpenCL backend, compiled to PTX.
 */
public final class CudaBackend extends DeviceBackend {
    private static final Map<Integer, CudaBackend> OPENED = new HashMap<>();

    private CudaBackend(CudaRuntime runtime) {
        super(runtime, "a CUDA device");
    }

    /** True when the NVIDIA driver (libcuda.so.1) loads and sees at least one GPU. Never throws. */
    public static boolean available() {
        try {
            return Cuda.get().deviceCount() > 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Why {@link #available()} is false (the driver's or the loader's message), or null when it is true. */
    public static String unavailableReason() {
        try {
            return Cuda.get().deviceCount() > 0 ? null : "CUDA: the NVIDIA driver sees no GPU";
        } catch (RuntimeException | LinkageError e) {
            return e.getMessage();
        }
    }

    /** The backend on GPU {@code deviceIndex} (CUDA's numbering), opened once per process. */
    public static synchronized CudaBackend open(int deviceIndex) {
        return OPENED.computeIfAbsent(deviceIndex, i -> new CudaBackend(CudaRuntime.open(i)));
    }

    /** "index: name, compute capability, multiprocessors, global memory" for every GPU; empty when CUDA is absent. */
    public static List<String> describeDevices() {
        List<String> out = new ArrayList<>();
        if (!available()) return out;
        Cuda cuda = Cuda.get();
        for (int i = 0; i < cuda.deviceCount(); i++) out.add(i + ": " + CudaRuntime.describe(cuda, i));
        return out;
    }
}
