package dev.gmsa.tensor.cuda;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Whether the tests that run kernels on a GPU through CUDA run: only where the NVIDIA driver (libcuda.so.1)
 * and a GPU are present. On this project's build machines and in CI there is none, so they are skipped there
 * for that reason alone; on a machine with a GPU they run for real.
 */
public final class CudaAvailability {
    static final String SKIP_REASON = "no NVIDIA driver (libcuda.so.1) or no GPU here: the CUDA backend cannot run";

    private CudaAvailability() {}

    /** For JUnit's {@code @EnabledIf}. */
    public static boolean shouldRun() {
        return CudaBackend.available();
    }

    /** The same decision for jqwik properties, which JUnit conditions do not reach. */
    public static final class SkipWhenAbsent implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return shouldRun() ? SkipResult.doNotSkip() : SkipResult.skip(SKIP_REASON);
        }
    }
}
