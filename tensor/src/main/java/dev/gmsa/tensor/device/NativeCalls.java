package dev.gmsa.tensor.device;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.function.BiFunction;

/** The java.lang.foreign plumbing the OpenCL, CUDA and NVRTC bindings share: open, bind, call. */
public final class NativeCalls {
    private static final Linker LINKER = Linker.nativeLinker();

    private NativeCalls() {}

    /** The library's symbols, or null when it cannot be opened (a failed dlopen, never a JVM crash). */
    public static SymbolLookup openLibrary(String name) {
        try {
            return SymbolLookup.libraryLookup(name, Arena.global());
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalCallerException notThere) {
            return null;
        }
    }

    /** A downcall handle for {@code name}; an IllegalArgumentException naming the library when it lacks the symbol. */
    public static MethodHandle bind(SymbolLookup lib, String library, String name, MemoryLayout result, MemoryLayout... args) {
        var symbol = lib.find(name).orElseThrow(() -> new IllegalArgumentException(library + " lacks " + name));
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args));
    }

    /** Calls a bound function; a checked Throwable becomes {@code failure}'s exception, saying which API failed. */
    public static Object invoke(MethodHandle handle, String api, BiFunction<String, Throwable, ? extends RuntimeException> failure,
                                Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw failure.apply(api + " call failed: " + t, t);
        }
    }
}
