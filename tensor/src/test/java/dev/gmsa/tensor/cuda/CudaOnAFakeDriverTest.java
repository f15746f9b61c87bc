package dev.gmsa.tensor.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA runtime's calls into the driver, checked without a GPU: a fake libcuda (src/test/c/fake_libcuda.c,
 * compiled here with cc) keeps device memory on the host and runs two kernels on the CPU, so uploads, downloads,
 * device copies, View structs passed by value through kernelParams, per-thread contexts, error names and the
 * fallback for a driver older than nvcc's PTX all run for real. A separate JVM, since the driver loads once.
 */
class CudaOnAFakeDriverTest {
    private static final Path FAKE_SOURCE = Path.of("src/test/c/fake_libcuda.c");

    @Test
    void theBackendRunsOnAFakeDriver(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(CudaRuntime.prebuiltPtx("elementwise") != null, "the build made no PTX (no nvcc), and there is no NVRTC here");
        Path library = dir.resolve("libcuda.so.1");
        Assumptions.assumeTrue(run(dir, List.of("cc", "-shared", "-fPIC", "-o", library.toString(), FAKE_SOURCE.toAbsolutePath().toString()))
                .exitCode == 0, "no C compiler here");

        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dgmsa.cuda.library=" + library, "-cp", System.getProperty("java.class.path"), FakeDriverScenario.class.getName());
        child.environment().put("FAKE_CUDA_PTX_ISA", "8.4"); // an older driver than nvcc 13's PTX 9.0
        Result result = run(dir, child);
        assertEquals(0, result.exitCode, result.output);
        assertTrue(result.output.contains("fake driver: all checks passed"), result.output);
    }

    private record Result(int exitCode, String output) {}

    private static Result run(Path dir, List<String> command) throws Exception {
        return run(dir, new ProcessBuilder(command));
    }

    private static Result run(Path dir, ProcessBuilder builder) throws Exception {
        Process process = builder.directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly();
        return new Result(process.exitValue(), output);
    }
}
