package dev.gmsa.autograd;

/**
 * Whether ops record themselves on the tape (per thread). Inference and evaluation run inside
 * {@code try (var _ = Grad.disabled()) { ... }}: ops then compute values only and keep no graph.
 */
public final class Grad {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private Grad() {}

    public static boolean enabled() {
        return ENABLED.get();
    }

    /** Turns recording off until the returned scope is closed; scopes nest. */
    public static Scope disabled() {
        return new Scope(false);
    }

    /** Turns recording back on inside a disabled region until the returned scope is closed. */
    public static Scope enabledScope() {
        return new Scope(true);
    }

    /** Restores the previous setting when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;
        private boolean closed;

        private Scope(boolean enabled) {
            previous = ENABLED.get();
            ENABLED.set(enabled);
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            ENABLED.set(previous);
        }
    }
}
