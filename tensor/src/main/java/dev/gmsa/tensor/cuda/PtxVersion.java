package dev.gmsa.tensor.cuda;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PTX ISA version a PTX file declares on its {@code .version} line. A driver refuses PTX that declares a
 * newer ISA than it knows, even when the code uses nothing new: nvcc 13 writes ".version 9.0", which a CUDA 12
 * driver rejects. The kernels here compile (for compute_75) to instructions that PTX ISA 6.3 already has, so
 * when no NVRTC is installed to recompile them, declaring the driver's own ISA version is sound.
 */
final class PtxVersion {
    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^\\s*\\.version\\s+\\d+\\.\\d+\\s*$");

    private PtxVersion() {}

    /**
     * The newest PTX ISA a driver of CUDA version {@code driver} (1000 * major + 10 * minor) accepts:
     * CUDA 11.x reads ISA 7.x, CUDA 12.x reads 8.x (12.6 and later at least 8.5), CUDA 13 reads 9.0.
     */
    static String newestFor(int driver) {
        int major = driver / 1000, minor = driver % 1000 / 10;
        if (major >= 13) return "9.0";
        if (major == 12) return "8." + Math.min(minor, 5);
        if (major == 11) return "7." + Math.min(minor, 8);
        throw new CudaException("CUDA: driver version " + major + "." + minor + " is too old: CUDA 11 or newer is needed");
    }

    /** {@code ptx} with its .version line replaced by {@code isa}. */
    static String declare(String ptx, String isa) {
        Matcher m = VERSION_LINE.matcher(ptx);
        if (!m.find()) throw new CudaException("CUDA: the PTX has no .version line");
        return m.replaceFirst(".version " + isa);
    }
}
