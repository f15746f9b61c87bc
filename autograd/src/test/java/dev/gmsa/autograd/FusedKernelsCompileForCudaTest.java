package dev.gmsa.autograd;

import dev.gmsa.testing.NvccPrograms;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** autograd's device programs (the fused ops' kernels/*.cl) compile for CUDA, and each launched kernel is in the PTX. */
class FusedKernelsCompileForCudaTest {
    /** Each program and the Java source that launches its kernels. */
    private static final Map<String, Path> PROGRAMS = new LinkedHashMap<>();

    static {
        for (String unit : List.of("fused/RmsNorm", "fused/SwiGlu", "fused/Rope", "fused/CrossEntropy", "optim/AdamWStep")) {
            String kernel = switch (unit) {
                case "fused/RmsNorm" -> "rms_norm";
                case "fused/SwiGlu" -> "swiglu";
                case "fused/Rope" -> "rope";
                case "fused/CrossEntropy" -> "cross_entropy";
                default -> "adamw";
            };
            PROGRAMS.put("dev/gmsa/autograd/kernels/" + kernel, Path.of("src/main/java/dev/gmsa/autograd/" + unit + ".java"));
        }
    }

    @Test
    void everyProgramCompilesWithNvccAndHasAnEntryForEveryLaunchedKernel(@TempDir Path dir) throws Exception {
        Path nvcc = NvccPrograms.nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc is not installed here");
        Map<String, String> ptx = NvccPrograms.compile(nvcc, dir, List.copyOf(PROGRAMS.keySet()));
        for (var e : PROGRAMS.entrySet()) {
            Set<String> launched = NvccPrograms.launched(e.getValue()), entries = NvccPrograms.entries(ptx.get(e.getKey()));
            assertFalse(launched.isEmpty(), e.getValue() + " launches no kernel of " + e.getKey());
            assertTrue(entries.containsAll(launched), e.getKey() + ".ptx has " + entries + ", but " + e.getValue() + " launches " + launched);
        }
    }
}
