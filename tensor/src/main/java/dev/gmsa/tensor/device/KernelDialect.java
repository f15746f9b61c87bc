package dev.gmsa.tensor.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The kernels are one set of sources (resources dev/gmsa/tensor/kernels/*.cl) written in OpenCL C plus a few
 * macros; a dialect's prelude defines those macros (and, for CUDA, the OpenCL built-ins the kernels call), so
 * the same text compiles as OpenCL C or as CUDA C++. A program's full source is prelude + opcodes.h
 * ({@link KernelOpCodes}) + common.cl + program.
 */
public enum KernelDialect {
    OPENCL("prelude_opencl.h"),
    CUDA("prelude_cuda.h");

    /** Every program the backend launches kernels from. */
    public static final List<String> PROGRAMS = List.of("elementwise", "axis", "matmul", "rows", "attention");
    public static final String RESOURCE_FOLDER = "/dev/gmsa/tensor/kernels/";

    private final String prelude;

    KernelDialect(String prelude) {
        this.prelude = prelude;
    }

    /**
     * The text to hand to the compiler for {@code program}: one of {@link #PROGRAMS}, or the resource path of another
     * module's kernel file without ".cl" (it contains a '/').
     */
    public String source(String program) {
        String body = isExternal(program) ? classpathFile("/" + program + ".cl") : resource(program + ".cl");
        return resource(prelude) + "\n" + resource(KernelOpCodes.FILE) + "\n" + resource("common.cl") + "\n" + body;
    }

    /** Whether a program comes from outside this module's kernel folder (a resource path). */
    public static boolean isExternal(String program) {
        return program.indexOf('/') >= 0;
    }

    /** A file of the kernel folder, or a {@link DeviceException} naming it when the jar lacks it. */
    public static String resource(String file) {
        return classpathFile(RESOURCE_FOLDER + file);
    }

    private static String classpathFile(String path) {
        try (InputStream in = KernelDialect.class.getResourceAsStream(path)) {
            if (in == null) throw new DeviceException("kernel source " + path + " is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeviceException("cannot read kernel source " + path, e);
        }
    }
}
