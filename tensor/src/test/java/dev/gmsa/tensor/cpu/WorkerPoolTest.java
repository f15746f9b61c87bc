package dev.gmsa.tensor.cpu;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persistent worker pool behind {@link Parallel}: every task exactly once, failures, nesting, concurrent callers. */
class WorkerPoolTest {
    @Test
    void everyTaskRunsExactlyOnceInManyBackToBackRegions() {
        WorkerPool pool = new WorkerPool(3);
        try {
            for (int region = 0; region < 2000; region++) {
                int tasks = 1 + region % 7;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                pool.run(tasks, runs::incrementAndGet);
                for (int i = 0; i < tasks; i++) assertEquals(1, runs.get(i), "region " + region + " task " + i);
                if (region % 500 == 0) sleepMillis(2); // let the workers park, so the unpark path is taken too
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aFailingTaskIsRethrownAfterTheOthersAndThePoolStaysUsable() {
        WorkerPool pool = new WorkerPool(2);
        try {
            IllegalStateException boom = new IllegalStateException("task 3 failed");
            AtomicInteger finished = new AtomicInteger();
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> pool.run(8, i -> {
                if (i == 3) throw boom;
                finished.incrementAndGet();
            }));
            assertSame(boom, thrown);
            assertTrue(finished.get() <= 7);
            AtomicInteger sum = new AtomicInteger();
            pool.run(10, sum::addAndGet);
            assertEquals(45, sum.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void nestedRegionsRunInlineOnTheThreadThatAsks() {
        WorkerPool pool = new WorkerPool(2);
        try {
            AtomicIntegerArray runs = new AtomicIntegerArray(4 * 5);
            AtomicReference<String> wrongThread = new AtomicReference<>();
            pool.run(4, outer -> {
                Thread self = Thread.currentThread();
                pool.run(5, inner -> {
                    if (Thread.currentThread() != self) wrongThread.set("inner task ran on " + Thread.currentThread());
                    runs.incrementAndGet(outer * 5 + inner);
                });
            });
            assertEquals(null, wrongThread.get());
            for (int i = 0; i < 20; i++) assertEquals(1, runs.get(i));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void twoCallingThreadsAtOnceBothGetEveryTaskDone() throws InterruptedException {
        WorkerPool pool = new WorkerPool(2);
        try {
            AtomicInteger total = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            Runnable caller = () -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (int r = 0; r < 500; r++) pool.run(3, i -> total.incrementAndGet());
            };
            Thread a = new Thread(caller), b = new Thread(caller);
            a.start();
            b.start();
            start.countDown();
            a.join(10_000);
            b.join(10_000);
            assertEquals(2 * 500 * 3, total.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void parallelForRangeCoversTheRangeOnceWhateverTheThreadCount() {
        for (int threads : new int[] {1, 2, 3}) {
            GemmChecks.withThreads(threads, () -> {
                AtomicIntegerArray hits = new AtomicIntegerArray(1001);
                Parallel.forRange(1001, 10, (from, to) -> {
                    for (int i = from; i < to; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < 1001; i++) assertEquals(1, hits.get(i), "threads " + threads + " index " + i);
            });
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
