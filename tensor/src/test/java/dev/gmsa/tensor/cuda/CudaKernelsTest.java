package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.DeviceBackend;
import dev.gmsa.tensor.device.DeviceKernelsContract;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device kernels on CUDA GPU 0, plus its device list (skipped where there is no NVIDIA driver, see CudaAvailability). */
@EnabledIf(value = "dev.gmsa.tensor.cuda.CudaAvailability#shouldRun", disabledReason = CudaAvailability.SKIP_REASON)
@AddLifecycleHook(value = CudaAvailability.SkipWhenAbsent.class, propagateTo = PropagationMode.ALL_DESCENDANTS) // jqwik's properties
class CudaKernelsTest extends DeviceKernelsContract {
    @Override
    protected DeviceBackend device() {
        return CudaBackend.open(0);
    }

    @Override
    protected String deviceNoun() {
        return "a CUDA device";
    }

    @Test
    void devicesAreDescribedAndOpenedOnce() {
        assertFalse(CudaBackend.describeDevices().isEmpty());
        String first = CudaBackend.describeDevices().get(0);
        assertTrue(first.startsWith("0: ") && first.contains("compute capability") && first.contains("MiB global memory"), first);
        assertSame(CudaBackend.open(0), CudaBackend.open(0));
        assertTrue(CudaBackend.open(0).name().startsWith("cuda:"), CudaBackend.open(0).name());
        CudaException e = assertThrows(CudaException.class, () -> CudaBackend.open(999));
        assertTrue(e.getMessage().contains("device 999 does not exist"), e.getMessage());
    }
}
