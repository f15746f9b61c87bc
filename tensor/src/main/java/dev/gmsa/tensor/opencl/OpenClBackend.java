package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.device.DeviceBackend;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link dev.gmsa.tensor.Backend} on an OpenCL device, called through java.lang.foreign: the shared
 * dispatch of {@link DeviceBackend} over an {@link OpenClRuntime}.
 */
public final class OpenClBackend extends DeviceBackend {
    private static final Map<Integer, OpenClBackend> OPENED = new HashMap<>();

    private OpenClBackend(OpenClRuntime runtime) {
        super(runtime, "an OpenCL device");
    }

    /** True when libOpenCL loads and at least one device exists. Never throws. */
    public static boolean available() {
        try {
            return !OpenClRuntime.allDevices(OpenCl.get()).isEmpty();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The backend on device {@code deviceIndex} (counted over all platforms), opened once per process. */
    public static synchronized OpenClBackend open(int deviceIndex) {
        return OPENED.computeIfAbsent(deviceIndex, i -> new OpenClBackend(OpenClRuntime.open(i)));
    }

    /** "index: name (vendor), type, compute units, global memory" for every device; empty when OpenCL is absent. */
    public static List<String> describeDevices() {
        List<String> out = new ArrayList<>();
        if (!available()) return out;
        OpenCl cl = OpenCl.get();
        List<MemorySegment> devices = OpenClRuntime.allDevices(cl);
        for (int i = 0; i < devices.size(); i++) out.add(i + ": " + OpenClRuntime.describe(cl, devices.get(i)));
        return out;
    }

    /** Compiles an OpenCL C source (no prelude) with this device's options; on failure the exception holds the build log. */
    public void compileForTest(String programName, String source) {
        OpenClRuntime runtime = (OpenClRuntime) runtime();
        runtime.cl.releaseProgram(runtime.build(programName, source));
    }
}
