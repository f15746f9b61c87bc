package dev.gmsa.tensor.device;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The device bytes held by live storages of one backend. Buffers are freed when their storage becomes unreachable
 * (a Cleaner), so after an out-of-memory answer the backend asks the collector for the dead ones and waits until
 * this count actually drops (not a fixed sleep) before it retries once; the error then says how much live tensors
 * hold, which tells a real shortage from garbage not yet collected.
 */
final class DeviceMemory {
    private static final long WAIT_NANOS = 2_000_000_000L;

    private final AtomicLong liveBytes = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();

    void allocated(long bytes) {
        liveBytes.addAndGet(bytes);
    }

    void released(long bytes) {
        liveBytes.addAndGet(-bytes);
        releases.incrementAndGet();
    }

    long liveBytes() {
        return liveBytes.get();
    }

    /** Collects unreachable storages and waits (at most 2 s) until at least one of them has been freed. */
    void reclaim() {
        long before = releases.get(), deadline = System.nanoTime() + WAIT_NANOS;
        System.gc(); // device memory is freed by the Cleaner of storages the Java heap no longer reaches
        while (releases.get() == before && System.nanoTime() < deadline) Thread.onSpinWait();
    }
}
