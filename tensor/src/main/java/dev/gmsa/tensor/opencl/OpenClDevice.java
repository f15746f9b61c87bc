package dev.gmsa.tensor.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One OpenCL device with its context and in-order command queue, and the programs built for it: each
 * program (a .cl resource, prefixed by common.cl) is compiled once, on first use, and its kernels cached.
 */
final class OpenClDevice {
    final OpenCl cl;
    final MemorySegment device, context, queue;
    final String name;
    private final String buildOptions;
    private final Map<String, MemorySegment> programs = new HashMap<>();
    private final Map<String, MemorySegment> kernels = new HashMap<>();

    private OpenClDevice(OpenCl cl, MemorySegment device) {
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

    static OpenClDevice open(int index) {
        OpenCl cl = OpenCl.get();
        List<MemorySegment> devices = allDevices(cl);
        if (devices.isEmpty())
            throw new OpenClException("OpenCL: no OpenCL device (the ICD loader found no platform with a device; install a driver such as pocl-opencl-icd)");
        if (index < 0 || index >= devices.size())
            throw new OpenClException("OpenCL: device " + index + " does not exist; there are " + devices.size() + " (see describeDevices())");
        return new OpenClDevice(cl, devices.get(index));
    }

    /** One line per device: name, vendor, type, compute units, global memory. */
    static String describe(OpenCl cl, MemorySegment device) {
        long type = cl.deviceNumber(device, OpenCl.CL_DEVICE_TYPE, 8);
        String kind = (type & 4) != 0 ? "GPU" : (type & 2) != 0 ? "CPU" : (type & 8) != 0 ? "accelerator" : "other";
        return cl.deviceString(device, OpenCl.CL_DEVICE_NAME) + " (" + cl.deviceString(device, OpenCl.CL_DEVICE_VENDOR) + "), " + kind
                + ", " + cl.deviceNumber(device, OpenCl.CL_DEVICE_MAX_COMPUTE_UNITS, 4) + " compute units, "
                + cl.deviceNumber(device, OpenCl.CL_DEVICE_GLOBAL_MEM_SIZE, 8) / (1024 * 1024) + " MiB global memory";
    }

    /** The kernel {@code kernelName} of the program in resource {@code programName}.cl, building it on first use. */
    synchronized MemorySegment kernel(String programName, String kernelName) {
        MemorySegment kernel = kernels.get(kernelName);
        if (kernel != null) return kernel;
        MemorySegment program = programs.get(programName);
        if (program == null) {
            program = build(programName, resource("common") + "\n" + resource(programName));
            programs.put(programName, program);
        }
        kernel = cl.createKernel(program, kernelName);
        kernels.put(kernelName, kernel);
        return kernel;
    }

    /** Compiles {@code source}; on failure the exception carries the compiler's build log. */
    MemorySegment build(String programName, String source) {
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

    private static String resource(String programName) {
        String path = programName + ".cl";
        try (InputStream in = OpenClDevice.class.getResourceAsStream(path)) {
            if (in == null) throw new OpenClException("OpenCL: kernel source " + path + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenClException("OpenCL: cannot read kernel source " + path, e);
        }
    }
}
