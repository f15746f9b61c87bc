package dev.gmsa.compress.model;

import dev.gmsa.testing.NvccPrograms;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** gmsa's device program (group merging) compiles for CUDA, with an entry for every kernel GroupMeanPool launches. */
class GroupMeanPoolCompilesForCudaTest {
    @Test
    void theProgramCompilesWithNvccAndHasItsLaunchedKernels(@TempDir Path dir) throws Exception {
        Path nvcc = NvccPrograms.nvcc();
        Assumptions.assumeTrue(nvcc != null, "nvcc is not installed here");
        String ptx = NvccPrograms.compile(nvcc, dir, List.of(GroupMeanPool.DEVICE_PROGRAM)).get(GroupMeanPool.DEVICE_PROGRAM);
        Set<String> launched = NvccPrograms.launched(Path.of("src/main/java/dev/gmsa/compress/model/GroupMeanPool.java"));
        assertFalse(launched.isEmpty(), "GroupMeanPool launches no kernel");
        assertTrue(NvccPrograms.entries(ptx).containsAll(launched), "PTX entries " + NvccPrograms.entries(ptx) + " lack some of " + launched);
    }
}
