package dev.gmsa.bench.jmh;

import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * F32 [size, size] x [size, size] through Tensor.matmul. JMH reports operations per second (one op = one
 * product); GFLOP/s = ops/s x 2 size^3 / 1e9, e.g. 12.0 ops/s at size 2048 is 12.0 x 17.18 = 206 GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class SgemmBenchmark {
    @Param({"256", "512", "1024", "2048", "4096"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private Tensor a;
    private Tensor b;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        a = Tensor.randn(1, 1f, size, size);
        b = Tensor.randn(2, 1f, size, size);
    }

    @Benchmark
    public Tensor matmul() {
        return a.matmul(b);
    }
}
