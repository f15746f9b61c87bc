package dev.gmsa.cli;

import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cuda.CudaBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --device cpu|opencl[:N]|cuda[:N]} picks a backend, or says in one line why it cannot. */
class DeviceOptionTest {
    @Test
    void cpuAndOpenClNameTheirBackends() {
        assertSame(CpuBackend.instance(), DeviceOption.parse("cpu"));
        Assumptions.assumeTrue(OpenClBackend.available(), "no OpenCL driver here");
        assertSame(OpenClBackend.open(0), DeviceOption.parse("opencl"));
        assertSame(OpenClBackend.open(0), DeviceOption.parse("OpenCL:0"));
    }

    @Test
    void cudaWithoutTheNvidiaDriverSaysWhatIsMissing() {
        Assumptions.assumeTrue(!CudaBackend.available(), "a CUDA GPU is present here");
        for (String spec : new String[] {"cuda", "cuda:1"}) {
            Exception e = assertThrows(IllegalArgumentException.class, () -> DeviceOption.parse(spec));
            assertTrue(e.getMessage().startsWith("--device " + spec + ": CUDA: "), e.getMessage());
            assertTrue(e.getMessage().contains("libcuda") || e.getMessage().contains("cuInit"), e.getMessage());
            assertTrue(e.getMessage().contains("NVIDIA driver"), e.getMessage());
        }
    }

    @Test
    void cudaOnAGpuMachineOpensTheBackend() {
        Assumptions.assumeTrue(CudaBackend.available(), "no NVIDIA driver or GPU here");
        assertSame(CudaBackend.open(0), DeviceOption.parse("cuda:0"));
    }

    @Test
    void badSpecsAreRejected() {
        Exception kind = assertThrows(IllegalArgumentException.class, () -> DeviceOption.parse("tpu"));
        assertTrue(kind.getMessage().contains("expected cpu, opencl[:N] or cuda[:N]"), kind.getMessage());
        Exception number = assertThrows(IllegalArgumentException.class, () -> DeviceOption.parse("cuda:x"));
        assertTrue(number.getMessage().contains("must be an integer"), number.getMessage());
    }
}
