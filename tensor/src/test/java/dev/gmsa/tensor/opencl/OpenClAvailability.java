package dev.gmsa.tensor.opencl;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Whether the OpenCL tests run: always in CI (where a driver is installed, so a missing one must fail the
 * tests), elsewhere only when a driver and a device are present.
 */
public final class OpenClAvailability {
    static final String SKIP_REASON = "no OpenCL driver or device here (install ocl-icd-libopencl1 and pocl-opencl-icd); "
            + "set CI=true to make this a failure";

    private OpenClAvailability() {}

    /** For JUnit's {@code @EnabledIf}. */
    public static boolean shouldRun() {
        return "true".equals(System.getenv("CI")) || OpenClBackend.available();
    }

    /** The same decision for jqwik properties, which JUnit conditions do not reach. */
    public static final class SkipWhenAbsent implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return shouldRun() ? SkipResult.doNotSkip() : SkipResult.skip(SKIP_REASON);
        }
    }
}
