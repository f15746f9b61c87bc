package dev.gmsa.cli;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cuda.CudaBackend;
import dev.gmsa.tensor.device.DeviceException;
import dev.gmsa.tensor.opencl.OpenClBackend;
import picocli.CommandLine.Option;

/** {@code --device cpu|opencl[:N]|cuda[:N]}: which backend new tensors (and loaded weights) live on. */
public final class DeviceOption {
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, opencl[:N] or cuda[:N] (see bin/gmsa devices)")
    public String device;

    /** Makes the chosen backend the default and returns it. */
    public Backend apply() {
        Backend b = parse(device);
        Backends.setDefault(b);
        return b;
    }

    /**
     * The backend a spec names. A missing driver or device is a user error (an IllegalArgumentException, reported
     * in one line) that says what is missing, e.g. libcuda.so.1 from the NVIDIA driver.
     */
    public static Backend parse(String spec) {
        String[] parts = spec.toLowerCase().split(":", 2);
        int index = parts.length > 1 ? parseIndex(parts[1], spec) : 0;
        try {
            return switch (parts[0]) {
                case "cpu" -> CpuBackend.instance();
                case "opencl" -> OpenClBackend.open(index);
                case "cuda" -> CudaBackend.open(index);
                default -> throw new IllegalArgumentException("--device " + spec + ": expected cpu, opencl[:N] or cuda[:N]");
            };
        } catch (DeviceException e) {
            throw new IllegalArgumentException("--device " + spec + ": " + e.getMessage(), e);
        }
    }

    private static int parseIndex(String s, String spec) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--device " + spec + ": device number must be an integer");
        }
    }
}
