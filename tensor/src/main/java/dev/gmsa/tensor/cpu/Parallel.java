package dev.gmsa.tensor.cpu;

import java.util.function.IntConsumer;

/**
 * The CPU backend's worker threads. Size comes from the {@code gmsa.threads} system property (the CLI's
 * --threads sets it), defaulting to every available core. The calling thread is one of them: a region runs on it
 * plus {@code threads - 1} persistent workers ({@link WorkerPool}).
 */
public final class Parallel {
    private static volatile WorkerPool pool;
    private static volatile int threads = configuredThreads();

    private Parallel() {}

    private static int configuredThreads() {
        String s = System.getProperty("gmsa.threads");
        int n = s == null || s.isBlank() ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(s.trim());
        if (n < 1) throw new IllegalArgumentException("gmsa.threads must be at least 1, got " + n);
        return n;
    }

    public static int threads() {
        return threads;
    }

    /** Changes the number of worker threads (the old pool is shut down). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads must be at least 1, got " + n);
        if (n == threads && pool != null) return;
        WorkerPool old = pool;
        threads = n;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static WorkerPool pool() {
        WorkerPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new WorkerPool(threads);
                p = pool;
            }
        }
        return p;
    }

    /**
     * Runs body(i) for i in [0, tasks), spread over the worker threads and the caller; runs inline when there is
     * one task, one thread, or the caller is already inside a parallel region (no nested parallelism).
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        if (tasks == 1 || threads == 1) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        pool().run(tasks, body);
    }

    /** Splits [0, n) into about {@code threads} contiguous chunks of at least {@code minChunk} and runs body(start, end). */
    public static void forRange(int n, int minChunk, RangeBody body) {
        int chunks = Math.max(1, Math.min(threads, n / Math.max(minChunk, 1)));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        forEach(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }
}
