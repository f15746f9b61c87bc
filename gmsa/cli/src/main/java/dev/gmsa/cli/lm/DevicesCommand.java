package dev.gmsa.cli.lm;

import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.cpu.Parallel;
import dev.gmsa.tensor.cuda.CudaBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import picocli.CommandLine.Command;

import java.util.List;

/** Lists the compute devices this machine offers. */
@Command(name = "devices", description = "List compute devices (key=value lines).")
public final class DevicesCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("device=cpu backend=" + Backends.current().name() + " threads=" + Parallel.threads()
                + " vector_bits=" + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
        if (OpenClBackend.available()) {
            List<String> devices = OpenClBackend.describeDevices();
            for (int i = 0; i < devices.size(); i++) System.out.println("device=opencl:" + i + " " + devices.get(i));
        } else {
            System.out.println("opencl=unavailable (install ocl-icd-libopencl1 and a driver, e.g. pocl-opencl-icd or a GPU vendor's)");
        }
        if (CudaBackend.available()) {
            List<String> devices = CudaBackend.describeDevices();
            for (int i = 0; i < devices.size(); i++) System.out.println("device=cuda:" + i + " " + devices.get(i));
        } else {
            System.out.println("cuda=unavailable (" + CudaBackend.unavailableReason() + ")");
        }
    }
}
