package dev.gmsa.tensor.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Persistent worker threads for {@link Parallel}, built for many small parallel regions (decode runs ~50 matrix
 * products per token, each tens of microseconds). A region costs one hand-off instead of a fork/join round trip:
 * <ul>
 *   <li>the caller publishes a {@link Job} and claims tasks itself, next to threads - 1 workers;</li>
 *   <li>idle workers spin for {@link #SPIN_NANOS} before parking, so back-to-back regions find them awake and a
 *       parked worker is unparked only when it announced it was going to sleep;</li>
 *   <li>tasks are claimed one at a time from a shared counter, so a slow (descheduled) thread delays the region by
 *       one task, not by a fixed share.</li>
 * </ul>
 * One region runs at a time: a call from inside a region (nested) or from a second thread while one runs executes
 * its tasks inline on the calling thread.
 */
final class WorkerPool {
    /**
     * How long an idle worker (or a caller waiting for the workers) spins before it parks. Waking a parked thread is
     * slow on a VM whose idle vCPU halted: on the dev VM a parked worker missed ~30 regions (about a millisecond)
     * before it ran again, so with a 50 us spin 2-thread decode was no faster than 1 thread. 2 ms bridges every gap
     * inside a decode or training step, like OpenMP's default spin; -Dgmsa.spinMicros overrides it.
     */
    private static final long SPIN_NANOS = 1000L * Long.getLong("gmsa.spinMicros", 2000);
    /** Spins between two reads of the clock while waiting. */
    private static final int SPINS_PER_CLOCK_CHECK = 64;

    /** One parallel region: body(i) for i in [0, tasks); each thread claims indices from {@link #next}. */
    private static final class Job {
        final int tasks;
        final IntConsumer body;
        final Thread caller;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile Throwable failure;

        Job(int tasks, IntConsumer body, Thread caller) {
            this.tasks = tasks;
            this.body = body;
            this.caller = caller;
        }

        /** Claims and runs tasks until none is left; the thread that finishes the last one wakes the caller. */
        void work() {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                try {
                    if (failure == null) body.accept(i);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                }
                if (done.incrementAndGet() == tasks) LockSupport.unpark(caller);
            }
        }

        boolean finished() {
            return done.get() >= tasks;
        }
    }

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job current;
    private volatile boolean stopped;

    /** A pool that runs regions on the caller plus {@code threads - 1} daemon workers. */
    WorkerPool(int threads) {
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            workers[i].setName("gmsa-worker-" + (i + 1));
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    /** Runs body(i) for every i in [0, tasks) and returns when all are done, rethrowing the first failure. */
    void run(int tasks, IntConsumer body) {
        if (workers.length == 0 || tasks == 1 || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < tasks; i++) body.accept(i); // nested, concurrent or single-threaded: inline
            return;
        }
        Job job = new Job(tasks, body, Thread.currentThread());
        try {
            current = job;
            for (Worker w : workers) if (w.sleeping) LockSupport.unpark(w);
            job.work();
            awaitCompletion(job);
        } finally {
            current = null;
            busy.set(false);
        }
        Throwable failure = job.failure;
        if (failure instanceof RuntimeException e) throw e;
        if (failure instanceof Error e) throw e;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** The caller's tasks are done: spin while the workers finish theirs, then park until the last one wakes us. */
    private static void awaitCompletion(Job job) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (!job.finished()) {
            for (int i = 0; i < SPINS_PER_CLOCK_CHECK && !job.finished(); i++) Thread.onSpinWait();
            if (System.nanoTime() > spinUntil) LockSupport.park(job);
        }
    }

    /** Lets the workers exit (they are daemons; an idle one parks, so this only frees their stacks sooner). */
    void shutdown() {
        stopped = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    private final class Worker extends Thread {
        /** Set before parking and re-checked against {@link #current} (volatile on both sides), so no wake-up is lost. */
        volatile boolean sleeping;

        @Override
        public void run() {
            Job seen = null;
            while (!stopped) {
                Job job = awaitJob(seen);
                if (job == null) continue;
                seen = job;
                job.work();
            }
        }

        /** A job this worker has not worked on yet, or null after a park (the caller loops and checks stopped). */
        private Job awaitJob(Job seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (System.nanoTime() < spinUntil) {
                for (int i = 0; i < SPINS_PER_CLOCK_CHECK; i++) {
                    Job job = current;
                    if (job != null && job != seen) return job;
                    Thread.onSpinWait();
                }
            }
            sleeping = true;
            Job job = current;
            if ((job == null || job == seen) && !stopped) LockSupport.park(this);
            sleeping = false;
            job = current;
            return job != null && job != seen ? job : null;
        }
    }
}
