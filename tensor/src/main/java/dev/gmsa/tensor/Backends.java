package dev.gmsa.tensor;

import dev.gmsa.tensor.cpu.CpuBackend;

/**
 * Which backend new tensors are created on. The default is the vectorised CPU backend; a scope can
 * switch it (tests run the same code on the scalar reference backend or on a GPU backend this way).
 */
public final class Backends {
    private static final ScopedValue<Backend> SCOPED = ScopedValue.newInstance();
    private static volatile Backend defaultBackend;

    private Backends() {}

    public static Backend current() {
        if (SCOPED.isBound()) return SCOPED.get();
        Backend b = defaultBackend;
        if (b == null) {
            synchronized (Backends.class) {
                if (defaultBackend == null) defaultBackend = CpuBackend.instance();
                b = defaultBackend;
            }
        }
        return b;
    }

    /** Sets the process-wide default (the CLI's --device does this once at start-up). */
    public static void setDefault(Backend backend) {
        defaultBackend = backend;
    }

    /** Runs {@code body} with {@code backend} as the current backend for tensors it creates. */
    public static <T> T with(Backend backend, java.util.function.Supplier<T> body) {
        return ScopedValue.where(SCOPED, backend).call(body::get);
    }

    public static void run(Backend backend, Runnable body) {
        ScopedValue.where(SCOPED, backend).run(body);
    }
}
