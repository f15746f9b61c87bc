package dev.gmsa.bench;

import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.Parallel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code gmsa bench gemv-bf16}: x [1, C] times W.mT() with W [R, C] in BF16 (the decode matmul); GB/s = weight bytes / time. */
@Command(name = "gemv-bf16", mixinStandardHelpOptions = true,
        description = "BF16 weight GEMV through Tensor.matmul; prints gbps (weight bytes / median time), min and max.")
final class GemvBf16Command implements Callable<Integer> {
    @Option(names = "--rows", defaultValue = "8192", description = "rows of W (outputs)")
    int rows;

    @Option(names = "--cols", defaultValue = "8192", description = "columns of W (inputs)")
    int cols;

    @Option(names = "--threads", defaultValue = "1", description = "worker threads (Parallel.setThreads)")
    int threads;

    @Option(names = "--runs", defaultValue = "11", description = "timed runs")
    int runs;

    @Option(names = "--warmup", defaultValue = "5", description = "untimed runs first")
    int warmup;

    @Override
    public Integer call() {
        Parallel.setThreads(threads);
        Tensor weight = BenchData.randomBf16(3, rows, cols);
        Tensor x = Tensor.randn(4, 1f, 1, cols);
        Tensor weightT = weight.mT();
        double bytes = 2.0 * rows * cols;
        // matrices that fit in cache are repeated inside one timed run so that each run lasts about 0.1 s
        int repeats = (int) Math.max(1, Math.min(100_000, 2e9 / bytes));
        RunTimes t = RunTimes.measure(warmup, runs, () -> {
            for (int r = 0; r < repeats; r++) x.matmul(weightT);
        });
        double perRun = bytes * repeats * 1e-9;
        System.out.printf("rows=%d cols=%d threads=%d runs=%d repeats=%d weight_mb=%.1f%n", rows, cols, threads, runs, repeats, bytes / 1e6);
        System.out.printf("gbps=%.1f min=%.1f max=%.1f%n", perRun / t.median(), perRun / t.max(), perRun / t.min());
        return 0;
    }
}
