package dev.gmsa.tensor.cuda;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without the NVIDIA driver (as on the build machines and in CI) the CUDA backend says so instead of crashing the JVM. */
@EnabledIf(value = "driverMissing", disabledReason = "libcuda.so.1 is installed here")
class CudaWithoutDriverTest {
    static boolean driverMissing() {
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup.libraryLookup(Cuda.LIBRARY, arena);
            return false;
        } catch (IllegalArgumentException notFound) {
            return true;
        }
    }

    @Test
    void theBackendIsUnavailableAndListsNoDevices() {
        assertFalse(CudaBackend.available());
        assertTrue(CudaBackend.describeDevices().isEmpty());
        assertNotNull(CudaBackend.unavailableReason());
    }

    @Test
    void openingADeviceNamesTheMissingDriver() {
        for (int attempt = 0; attempt < 2; attempt++) { // the second call reports the cached failure the same way
            CudaException e = assertThrows(CudaException.class, () -> CudaBackend.open(0));
            assertTrue(e.getMessage().contains("libcuda.so.1") && e.getMessage().contains("NVIDIA driver"), e.getMessage());
        }
    }
}
