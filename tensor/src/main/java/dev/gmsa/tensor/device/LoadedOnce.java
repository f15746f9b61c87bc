package dev.gmsa.tensor.device;

import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * A native binding made once per process (the OpenCL, CUDA and NVRTC libraries): the bound value, or the
 * failure that explains why there is none, thrown again (a fresh exception, the first as its cause) on every call.
 */
public final class LoadedOnce<T> {
    private final Supplier<T> load;
    private final BiFunction<String, Throwable, ? extends RuntimeException> failure;
    private volatile Object loaded; // a T, or the RuntimeException the load threw

    /** {@code failure} makes the exception thrown to each caller from the first one's message and cause. */
    public LoadedOnce(Supplier<T> load, BiFunction<String, Throwable, ? extends RuntimeException> failure) {
        this.load = load;
        this.failure = failure;
    }

    public T get() {
        Object l = loaded;
        if (l == null) {
            synchronized (this) {
                if (loaded == null) loaded = attempt();
                l = loaded;
            }
        }
        if (l instanceof RuntimeException e) throw failure.apply(e.getMessage(), e);
        @SuppressWarnings("unchecked") T value = (T) l;
        return value;
    }

    private Object attempt() {
        try {
            return load.get();
        } catch (RuntimeException e) {
            return e;
        }
    }
}
