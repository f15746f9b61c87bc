package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.KernelDialect;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernels compile as CUDA without a GPU: where nvcc is installed, every program's CUDA dialect (prelude_cuda.h
 * + common.cl + program.cl) compiles to PTX with warnings as errors, and the PTX has an entry for every kernel the
 * dispatch code launches, so a kernel missing from a program or misspelt in DeviceBackend fails here.
 */
class CudaKernelSourcesTest {
    /** The dispatch code, read as text: each launch is written kernel("program", "kernel_name"). */
    private static final Path DISPATCH = Path.of("src/main/java/dev/gmsa/tensor/device/DeviceBackend.java");
    /** The tensor module's device kernels of fused ops, launched the same way. */
    private static final Path FUSED_DISPATCH = Path.of("src/main/java/dev/gmsa/tensor/device/AttentionDeviceKernel.java");
    private static final Pattern LAUNCH = Pattern.compile("kernel\\(\"(\\w+)\", \"(\\w+)\"\\)");
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");
    private static final Pattern STRUCT_PARAM = Pattern.compile("\\.param\\s+\\.align\\s+(\\d+)\\s+\\.b8\\s+((\\w+)_param_\\d+)\\[(\\d+)]");
    private static final int VIEW_BYTES = 4 * (4 + 2 * 8); // rank, offset, contiguous, dtype, shape[8], stride[8]: as KernelLaunch writes it
    private static final Path BUILD_NVCC = Path.of("/usr/local/cuda/bin/nvcc"); // the Maven profile's activation

    private static Map<String, Set<String>> launched;

    @BeforeAll
    static void readTheDispatchCode() throws IOException {
        launched = launchedKernels(Files.readString(DISPATCH) + Files.readString(FUSED_DISPATCH));
    }

    static Map<String, Set<String>> launchedKernels(String dispatchSource) {
        Map<String, Set<String>> byProgram = new TreeMap<>();
        Matcher m = LAUNCH.matcher(dispatchSource);
        while (m.find()) byProgram.computeIfAbsent(m.group(1), p -> new TreeSet<>()).add(m.group(2));
        return byProgram;
    }

    /** The names in {@code kernels} that have no .entry in {@code ptx}. */
    static Set<String> missingEntries(String ptx, Set<String> kernels) {
        Set<String> entries = new TreeSet<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) entries.add(m.group(1));
        Set<String> missing = new TreeSet<>(kernels);
        missing.removeAll(entries);
        return missing;
    }

    private static Path nvcc() {
        if (Files.isExecutable(BUILD_NVCC)) return BUILD_NVCC;
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":")) if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) return Path.of(dir, "nvcc");
        return null;
    }

    @Test
    void theDispatchCodeLaunchesKernelsFromEveryProgram() {
        assertEquals(Set.copyOf(KernelDialect.PROGRAMS), launched.keySet(), "programs launched by " + DISPATCH);
        int kernels = launched.values().stream().mapToInt(Set::size).sum();
        assertTrue(kernels >= 20, "only " + kernels + " launches found in " + DISPATCH + ": " + launched);
    }

    @Test
    void everyProgramCompilesWithNvccAndHasAnEntryForEveryLaunchedKernel(@TempDir Path dir) throws Exception {
        Path nvcc = nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc is not installed here");
        List<String> command = new ArrayList<>(List.of(nvcc.toString(), "-ptx", "-arch=compute_75", "--fmad=false",
                "-Werror", "all-warnings", "--output-directory", dir.toString()));
        for (String program : KernelDialect.PROGRAMS) {
            Path cu = dir.resolve(program + ".cu");
            Files.writeString(cu, KernelDialect.CUDA.source(program));
            command.add(cu.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "nvcc failed:\n" + log);
        for (String program : KernelDialect.PROGRAMS) {
            String ptx = Files.readString(dir.resolve(program + ".ptx"));
            assertEquals(Set.of(), missingEntries(ptx, launched.get(program)), program + ".ptx lacks kernels that DeviceBackend launches");
            assertViewsArePassedAsTheBytesKernelLaunchWrites(ptx, program);
        }
    }

    /** A kernel's only struct parameters are Views, 4-byte aligned and as long as the bytes KernelLaunch passes (no padding). */
    private static void assertViewsArePassedAsTheBytesKernelLaunchWrites(String ptx, String program) {
        Matcher m = STRUCT_PARAM.matcher(ptx);
        int views = 0;
        while (m.find()) {
            if (!launched.get(program).contains(m.group(3))) continue; // a helper's parameter, not a kernel's
            assertEquals("4", m.group(1), program + ": alignment of " + m.group(2));
            assertEquals(String.valueOf(VIEW_BYTES), m.group(4), program + ": size of " + m.group(2));
            views++;
        }
        assertTrue(views > 0, program + ": no View parameter found");
    }

    @Test
    void theBuildPutNvccsPtxIntoTheJarWhereNvccIsInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(BUILD_NVCC), BUILD_NVCC + " is not installed: the build made no PTX (NVRTC at run time)");
        for (String program : KernelDialect.PROGRAMS) {
            String ptx = CudaRuntime.prebuiltPtx(program);
            assertNotNull(ptx, CudaRuntime.PTX_FOLDER + program + ".ptx is missing although " + BUILD_NVCC + " exists");
            assertEquals(Set.of(), missingEntries(ptx, launched.get(program)), "prebuilt " + program + ".ptx");
        }
    }

    @Test
    void aMisspeltOrMissingKernelIsReported() {
        String ptx = ".visible .entry sgemm(\n.param .u64 a\n)\n.visible .entry gemv_columns(\n";
        assertEquals(Set.of("sgem", "gemv_k_contiguous"), missingEntries(ptx, Set.of("sgemm", "sgem", "gemv_columns", "gemv_k_contiguous")));
        assertEquals(Map.of("matmul", Set.of("sgemm")), launchedKernels("x; kernel(\"matmul\", \"sgemm\").tensor(a);"));
    }

    @Test
    void theCudaDialectIsTheSameSourceAsTheOpenClDialectBehindADifferentPrelude() {
        for (String program : KernelDialect.PROGRAMS) {
            String cuda = KernelDialect.CUDA.source(program), openCl = KernelDialect.OPENCL.source(program);
            String shared = KernelDialect.resource("common.cl") + "\n" + KernelDialect.resource(program + ".cl");
            assertTrue(cuda.endsWith(shared) && openCl.endsWith(shared), program);
            assertTrue(cuda.startsWith(KernelDialect.resource("prelude_cuda.h")), program);
            assertTrue(Stream.of("__kernel", "__global ", "__local ").noneMatch(shared::contains),
                    program + ": OpenCL-only qualifiers in a shared source; use KERNEL, GLOBAL, LOCAL, LOCAL_PTR");
        }
    }
}
