package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.device.DeviceBackend;
import dev.gmsa.tensor.device.DeviceKernelsContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device kernels on OpenCL device 0 (PoCL on the CPU here and in CI), plus what only OpenCL has: its build log and device list. */
@EnabledIf(value = "dev.gmsa.tensor.opencl.OpenClAvailability#shouldRun", disabledReason = OpenClAvailability.SKIP_REASON)
class OpenClKernelsTest extends DeviceKernelsContract {
    @Override
    protected DeviceBackend device() {
        return OpenClBackend.open(0);
    }

    @Override
    protected String deviceNoun() {
        return "an OpenCL device";
    }

    @Test
    void aKernelThatDoesNotCompileReportsTheBuildLog() {
        String broken = "__kernel void broken(__global float* x) { x[0] = no_such_variable; }";
        OpenClException e = assertThrows(OpenClException.class, () -> OpenClBackend.open(0).compileForTest("broken", broken));
        assertTrue(e.getMessage().contains("clBuildProgram(broken.cl)"), e.getMessage());
        assertTrue(e.getMessage().contains("CL_BUILD_PROGRAM_FAILURE"), e.getMessage());
        assertTrue(e.getMessage().contains("build log") && e.getMessage().contains("no_such_variable"), e.getMessage());
    }

    @Test
    void devicesAreDescribedAndOpenedOnce() {
        assertTrue(OpenClBackend.available());
        assertFalse(OpenClBackend.describeDevices().isEmpty());
        String first = OpenClBackend.describeDevices().get(0);
        assertTrue(first.startsWith("0: ") && first.contains("compute units") && first.contains("MiB global memory"), first);
        assertTrue(OpenClBackend.open(0) == OpenClBackend.open(0));
        OpenClException e = assertThrows(OpenClException.class, () -> OpenClBackend.open(999));
        assertTrue(e.getMessage().contains("device 999 does not exist"), e.getMessage());
    }
}
