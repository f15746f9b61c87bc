package dev.gmsa.tensor;

import dev.gmsa.tensor.cpu.CpuBackend;

/** The vectorised CPU backend against the scalar reference. */
class CpuBackendTest extends BackendContract {
    @Override
    protected Backend backend() {
        return CpuBackend.instance();
    }
}
