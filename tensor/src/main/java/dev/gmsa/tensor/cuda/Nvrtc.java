package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.device.LoadedOnce;
import dev.gmsa.tensor.device.NativeCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * NVRTC, CUDA's run-time compiler (libnvrtc, part of the CUDA toolkit, not of the driver): CUDA C++ source to
 * PTX text. Used when the jar holds no PTX built by nvcc, or when the driver is older than that PTX.
 */
final class Nvrtc {
    private static final List<String> LIBRARY_NAMES = List.of("libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2",
            "libnvrtc.so", "/usr/local/cuda/lib64/libnvrtc.so", "/usr/local/cuda/targets/x86_64-linux/lib/libnvrtc.so");

    private final MethodHandle createProgram, compileProgram, getProgramLogSize, getProgramLog, getPtxSize, getPtx,
            destroyProgram, getErrorString;

    private Nvrtc(SymbolLookup lib) {
        createProgram = bind(lib, "nvrtcCreateProgram", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
        compileProgram = bind(lib, "nvrtcCompileProgram", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
        getProgramLogSize = bind(lib, "nvrtcGetProgramLogSize", JAVA_INT, ADDRESS, ADDRESS);
        getProgramLog = bind(lib, "nvrtcGetProgramLog", JAVA_INT, ADDRESS, ADDRESS);
        getPtxSize = bind(lib, "nvrtcGetPTXSize", JAVA_INT, ADDRESS, ADDRESS);
        getPtx = bind(lib, "nvrtcGetPTX", JAVA_INT, ADDRESS, ADDRESS);
        destroyProgram = bind(lib, "nvrtcDestroyProgram", JAVA_INT, ADDRESS);
        getErrorString = bind(lib, "nvrtcGetErrorString", ADDRESS, JAVA_INT);
    }

    private static final LoadedOnce<Nvrtc> LOADED = new LoadedOnce<>(Nvrtc::load, CudaException::new);

    /** The bindings, or a {@link CudaException} saying which libraries were looked for. */
    static Nvrtc get() {
        return LOADED.get();
    }

    static boolean available() {
        try {
            get();
            return true;
        } catch (CudaException e) {
            return false;
        }
    }

    private static Nvrtc load() {
        for (String name : LIBRARY_NAMES) {
            SymbolLookup lib = NativeCalls.openLibrary(name);
            if (lib == null) continue;
            try {
                return new Nvrtc(lib);
            } catch (IllegalArgumentException missingSymbol) {
                throw new CudaException("CUDA: " + name + " is not usable: " + missingSymbol.getMessage());
            }
        }
        throw new CudaException("CUDA: NVRTC not found (looked for " + String.join(", ", LIBRARY_NAMES) + ")");
    }

    private static MethodHandle bind(SymbolLookup lib, String name, MemoryLayout result, MemoryLayout... args) {
        return NativeCalls.bind(lib, "libnvrtc", name, result, args);
    }

    private static Object invoke(MethodHandle handle, Object... args) {
        return NativeCalls.invoke(handle, "NVRTC", CudaException::new, args);
    }

    private void check(String call, int status) {
        if (status != 0) throw new CudaException("CUDA: " + call + " failed: " + errorString(status) + " (" + status + ")");
    }

    private String errorString(int status) {
        MemorySegment text = (MemorySegment) invoke(getErrorString, status);
        return text.reinterpret(Integer.MAX_VALUE).getString(0);
    }

    /** PTX for {@code source}; a compile error becomes a {@link CudaException} holding NVRTC's log. */
    String compile(String source, String programName, List<String> options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment program = arena.allocate(ADDRESS);
            check("nvrtcCreateProgram(" + programName + ")", (int) invoke(createProgram, program, arena.allocateFrom(source),
                    arena.allocateFrom(programName + ".cu"), 0, MemorySegment.NULL, MemorySegment.NULL));
            MemorySegment handle = program.get(ADDRESS, 0);
            try {
                MemorySegment optionArray = arena.allocate(ADDRESS, Math.max(1, options.size()));
                for (int i = 0; i < options.size(); i++) optionArray.setAtIndex(ADDRESS, i, arena.allocateFrom(options.get(i)));
                int status = (int) invoke(compileProgram, handle, options.size(), optionArray);
                if (status != 0)
                    throw new CudaException("CUDA: nvrtcCompileProgram(" + programName + ".cu, " + String.join(" ", options) + ") failed: "
                            + errorString(status) + "\ncompile log:\n" + text(handle, getProgramLogSize, getProgramLog, "nvrtcGetProgramLog", arena));
                return text(handle, getPtxSize, getPtx, "nvrtcGetPTX", arena);
            } finally {
                invoke(destroyProgram, program);
            }
        }
    }

    /** A NUL-terminated text whose size one call reports and another fills in (the log or the PTX). */
    private String text(MemorySegment program, MethodHandle sizeOf, MethodHandle fill, String call, Arena arena) {
        MemorySegment size = arena.allocate(JAVA_LONG);
        check(call + "Size", (int) invoke(sizeOf, program, size));
        MemorySegment text = arena.allocate(size.get(JAVA_LONG, 0) + 1);
        check(call, (int) invoke(fill, program, text));
        return text.getString(0);
    }
}
