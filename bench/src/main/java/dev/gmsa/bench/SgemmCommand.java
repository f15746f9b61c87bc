package dev.gmsa.bench;

import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code gmsa bench sgemm}: F32 [n, n] x [n, n] through Tensor.matmul; GFLOP/s = 2 n^3 / time. */
@Command(name = "sgemm", mixinStandardHelpOptions = true,
        description = "F32 square matmul through Tensor.matmul; prints gflops (median), min and max.")
final class SgemmCommand implements Callable<Integer> {
    @Option(names = "--size", required = true, description = "matrix size n (n x n times n x n)")
    int size;

    @Option(names = "--threads", defaultValue = "1", description = "worker threads (Parallel.setThreads)")
    int threads;

    @Option(names = "--runs", defaultValue = "7", description = "timed runs")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "untimed runs first (JIT compilation)")
    int warmup;

    @picocli.CommandLine.Mixin
    dev.gmsa.cli.DeviceOption device = new dev.gmsa.cli.DeviceOption();

    @Override
    public Integer call() {
        Parallel.setThreads(threads);
        var backend = device.apply();
        Tensor a = Tensor.randn(1, 1f, size, size), b = Tensor.randn(2, 1f, size, size);
        // a device queues kernels asynchronously: wait for them inside the timed region
        Runnable sync = backend::synchronize;
        // short products are repeated inside one timed run so that each run lasts about 0.2 s
        double flops = 2.0 * size * size * size;
        int repeats = (int) Math.max(1, Math.min(10_000, 2e10 / flops));
        RunTimes t = RunTimes.measure(warmup, runs, () -> {
            for (int r = 0; r < repeats; r++) a.matmul(b);
            sync.run();
        });
        double perRun = flops * repeats * 1e-9;
        System.out.printf("device=%s size=%d threads=%d runs=%d repeats=%d%n", backend.name(), size, threads, runs, repeats);
        System.out.printf("gflops=%.1f min=%.1f max=%.1f%n", perRun / t.median(), perRun / t.max(), perRun / t.min());
        return 0;
    }
}
