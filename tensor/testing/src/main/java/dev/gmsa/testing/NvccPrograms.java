package dev.gmsa.testing;

import dev.gmsa.tensor.device.KernelDialect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Device programs compiled as CUDA without a GPU: where nvcc is installed, a module's kernel files (its fused ops'
 * .cl, after the tensor module's CUDA prelude, op codes and common.cl, exactly as NVRTC gets them at run time)
 * compile to PTX with warnings as errors, and every kernel the dispatch code launches has an entry in the PTX.
 */
public final class NvccPrograms {
    private static final Path BUILD_NVCC = Path.of("/usr/local/cuda/bin/nvcc");
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(");
    /** A launch in a fused op's Java source: kernel(DEVICE_PROGRAM, "name"). */
    private static final Pattern LAUNCH = Pattern.compile("kernel\\(DEVICE_PROGRAM, \"(\\w+)\"\\)");

    private NvccPrograms() {}

    /** The nvcc this machine has (CUDA's default folder, then PATH), or null. */
    public static Path nvcc() {
        if (Files.isExecutable(BUILD_NVCC)) return BUILD_NVCC;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":"))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) return Path.of(dir, "nvcc");
        return null;
    }

    /** PTX text per program (resource paths without ".cl", as the fused ops name them); fails with nvcc's log. */
    public static Map<String, String> compile(Path nvcc, Path dir, List<String> programs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(nvcc.toString(), "-ptx", "-arch=compute_75", "--fmad=false",
                "-Werror", "all-warnings", "--output-directory", dir.toString()));
        Map<String, Path> cuFiles = new LinkedHashMap<>();
        for (String program : programs) {
            Path cu = dir.resolve(program.replace('/', '_') + ".cu");
            Files.writeString(cu, KernelDialect.CUDA.source(program));
            cuFiles.put(program, cu);
            command.add(cu.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), "nvcc failed on " + programs + ":\n" + log);
        Map<String, String> ptx = new LinkedHashMap<>();
        for (var e : cuFiles.entrySet()) {
            String name = e.getValue().getFileName().toString().replace(".cu", ".ptx");
            ptx.put(e.getKey(), Files.readString(dir.resolve(name)));
        }
        return ptx;
    }

    /** The kernel entries of a PTX file. */
    public static Set<String> entries(String ptx) {
        Set<String> out = new TreeSet<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** The kernels a fused op's Java source launches from its DEVICE_PROGRAM. */
    public static Set<String> launched(Path javaSource) throws IOException {
        Set<String> out = new TreeSet<>();
        Matcher m = LAUNCH.matcher(Files.readString(javaSource));
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
