package dev.gmsa.tensor.opencl;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BackendContract;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;
import org.junit.jupiter.api.condition.EnabledIf;

/** The OpenCL backend on device 0 (PoCL on the CPU in CI) against the scalar reference. */
@EnabledIf(value = "dev.gmsa.tensor.opencl.OpenClAvailability#shouldRun", disabledReason = OpenClAvailability.SKIP_REASON)
@AddLifecycleHook(value = OpenClAvailability.SkipWhenAbsent.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
class OpenClBackendTest extends BackendContract {
    @Override
    protected Backend backend() {
        return OpenClBackend.open(0); // opened once per JVM: its programs compile once
    }
}
