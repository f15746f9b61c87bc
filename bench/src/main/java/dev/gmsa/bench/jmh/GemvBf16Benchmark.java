package dev.gmsa.bench.jmh;

import dev.gmsa.bench.BenchData;
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
 * Decode matmul: x [1, size] times W.mT() with W [size, size] BF16 (Hugging Face Linear layout). JMH reports
 * operations per second; GB/s of weights = ops/s x 2 size^2 / 1e9 (size 8192: ops/s x 0.134).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC"})
public class GemvBf16Benchmark {
    @Param({"4096", "8192"})
    public int size;

    @Param({"1", "2"})
    public int threads;

    private Tensor x;
    private Tensor weightT;

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
        Tensor weight = BenchData.randomBf16(3, size, size);
        weightT = weight.mT();
        x = Tensor.randn(4, 1f, 1, size);
    }

    @Benchmark
    public Tensor gemv() {
        return x.matmul(weightT);
    }
}
