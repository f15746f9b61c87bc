package dev.gmsa.tensor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fused operation that lives with the code that needs it rather than in {@link Backend} (AdamW's step in
 * autograd, group merging in gmsa): its kernels per backend class, and a fallback composed from the Backend's
 * primitives that runs anywhere. {@code K} is the op's own functional interface (its argument list).
 *
 * <pre>{@code
 * static final FusedOp<Kernel> OP = new FusedOp<Kernel>("adamw", AdamWStep::composed)
 *         .register(CpuBackend.class, AdamWStep::cpu).register(DeviceBackend.class, AdamWStep::device);
 * OP.on(tensor.backend()).step(...);
 * }</pre>
 */
public final class FusedOp<K> {
    private final String name;
    private final K composed;
    private final Map<Class<?>, K> kernels = new ConcurrentHashMap<>();

    public FusedOp(String name, K composed) {
        this.name = name;
        this.composed = composed;
    }

    public String name() {
        return name;
    }

    /** Registers the kernel for backends of this class and its subclasses (a subclass's own kernel wins). */
    public FusedOp<K> register(Class<? extends Backend> backend, K kernel) {
        kernels.put(backend, kernel);
        return this;
    }

    /** The kernel registered for the backend's class or its nearest superclass, else the composed fallback. */
    public K on(Backend backend) {
        for (Class<?> c = backend.getClass(); c != null; c = c.getSuperclass()) {
            K k = kernels.get(c);
            if (k != null) return k;
        }
        return composed;
    }

    /** The fallback composed from primitives (what a backend without a kernel runs; tests compare against it). */
    public K composed() {
        return composed;
    }

    @Override
    public String toString() {
        return "FusedOp[" + name + ", kernels for " + kernels.keySet().stream().map(Class::getSimpleName).sorted().toList() + "]";
    }
}
