package dev.gmsa.tensor.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The CPU backend's worker threads. Size comes from the {@code gmsa.threads} system property (the CLI's
 * --threads sets it), defaulting to every available core.
 */
public final class Parallel {
    private static volatile ForkJoinPool pool;
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
        ForkJoinPool old = pool;
        threads = n;
        pool = null;
        if (old != null) old.shutdown();
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                if (pool == null) pool = new ForkJoinPool(threads);
                p = pool;
            }
        }
        return p;
    }

    /**
     * Runs body(i) for i in [0, tasks), spread over the worker threads; runs inline when there is one
     * task, one thread, or the caller is already a worker (no nested parallelism).
     */
    public static void forEach(int tasks, IntConsumer body) {
        if (tasks <= 0) return;
        if (tasks == 1 || threads == 1 || ForkJoinTask.inForkJoinPool()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        pool().invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                RecursiveAction[] parts = new RecursiveAction[tasks];
                for (int i = 0; i < tasks; i++) {
                    int task = i;
                    parts[i] = new RecursiveAction() {
                        @Override
                        protected void compute() {
                            body.accept(task);
                        }
                    };
                }
                invokeAll(parts);
            }
        });
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
