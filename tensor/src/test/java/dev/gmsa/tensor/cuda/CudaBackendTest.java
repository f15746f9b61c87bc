package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BackendContract;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.condition.EnabledIf;

/** The CUDA backend on GPU 0 against the scalar reference (skipped where there is no NVIDIA driver, see CudaAvailability). */
@EnabledIf(value = "dev.gmsa.tensor.cuda.CudaAvailability#shouldRun", disabledReason = CudaAvailability.SKIP_REASON)
@AddLifecycleHook(value = CudaAvailability.SkipWhenAbsent.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class CudaBackendTest extends BackendContract {
    @Override
    protected Backend backend() {
        return CudaBackend.open(0); // opened once per JVM: its modules load once
    }
}
