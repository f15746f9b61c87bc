package dev.gmsa.tensor.device;

import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the shared {@link dev.gmsa.tensor.BackendContract} does not reach, for every {@link DeviceBackend}
 * (OpenCL and CUDA run the same kernels through the same dispatch): the GEMV and tiled-GEMM paths at sizes
 * past one tile, BF16/F16 weights, transfer
 * counting and device-to-device copies. A runtime's test class subclasses this and says which backend.
 */
public abstract class DeviceKernelsContract {
    private static final Backend REFERENCE = ReferenceBackend.instance();

    /** The backend under test (opened once per JVM, so its programs compile once). */
    protected abstract DeviceBackend device();

    /** How the backend's messages name its kind of device: "an OpenCL device", "a CUDA device". */
    protected abstract String deviceNoun();

    private static Tensor random(long seed, int... shape) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 1;
        for (int d : shape) n *= d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (rng.nextDouble() * 2 - 1);
        return Tensor.of(v, shape);
    }

    /** Runs {@code op} on the reference and on the device and compares element by element. */
    private void check(String what, float rtol, float atol, Supplier<Tensor> op) {
        float[] expected = Backends.with(REFERENCE, op).toFloatArray();
        Tensor result = Backends.with(device(), op);
        assertTrue(result.backend() == device(), what + ": result is not on the OpenCL backend");
        assertClose(what, expected, result.toFloatArray(), rtol, atol);
    }

    @Test
    void gemvAgainstBf16WeightsStoredAsOutputByInput() {
        int k = 517, n = 301;
        // a Linear layer's weight W [N, K] used as x W^T: b's K axis is contiguous (the work-group-per-column path)
        check("gemv bf16 W^T", 1e-5f, 1e-5f * k, () -> random(1, 1, k).matmul(random(2, n, k).to(DType.BF16).mT()));
        check("gemv f16 W^T batched", 1e-5f, 1e-5f * k,
                () -> random(3, 2, 1, k).matmul(random(4, n, k).to(DType.F16).mT().unsqueeze(0).expand(2, k, n)));
        // b row-major [K, N] (the work-item-per-column path), and a transposed a
        check("gemv bf16 row-major", 1e-5f, 1e-5f * k, () -> random(5, k, 1).mT().matmul(random(6, k, n).to(DType.BF16)));
        check("vector times matrix", 1e-5f, 1e-5f * k, () -> random(7, k).matmul(random(8, k, n)));
    }

    @Test
    void tiledGemmPastOneTileWithTransposedAndHalfPrecisionOperands() {
        int m = 131, k = 93, n = 70;
        check("sgemm f32", 1e-5f, 1e-5f * k, () -> random(1, m, k).matmul(random(2, k, n)));
        check("sgemm a^T b^T", 1e-5f, 1e-5f * k, () -> random(3, k, m).mT().matmul(random(4, n, k).mT()));
        check("sgemm bf16 b^T batched", 1e-5f, 1e-5f * k,
                () -> random(5, 3, m, k).matmul(random(6, n, k).to(DType.BF16).mT()));
        check("sgemm f16 a, narrowed b", 1e-5f, 1e-5f * k,
                () -> random(7, 2, m, k).to(DType.F16).matmul(random(8, 2, k + 5, n + 3).narrow(1, 2, k).narrow(2, 1, n)));
        check("sgemm k = 1", 1e-6f, 1e-6f, () -> random(9, 65, 1).matmul(random(10, 1, 66)));
    }

    @Test
    void liveDeviceBytesCountStoragesUntilTheCollectorFreesThem() {
        DeviceBackend backend = device();
        long before = backend.liveDeviceBytes();
        Tensor big = Tensor.zeros(backend, DType.F32, 1000, 257);
        long bytes = 1000L * 257 * Float.BYTES;
        assertTrue(backend.liveDeviceBytes() >= before + bytes, "a new buffer counts");
        long withIt = backend.liveDeviceBytes();
        assertEquals(1000 * 257, big.numel());
        big = null; // unreachable: its buffer is freed by the Cleaner once the collector finds it
        for (int tries = 0; tries < 5 && backend.liveDeviceBytes() > withIt - bytes; tries++) backend.memory().reclaim();
        assertTrue(backend.liveDeviceBytes() <= withIt - bytes, "the dead buffer was freed: " + backend.liveDeviceBytes() + " bytes live");
    }

    private static void assertClose(String what, float[] expected, float[] actual, float rtol, float atol) {
        assertEquals(expected.length, actual.length, what + ": number of elements");
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i])))
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
    }

    @Test
    void indexAddSumsManyRepeatsInOrder() {
        int[] ids = new int[200];
        for (int i = 0; i < ids.length; i++) ids[i] = i % 3 == 0 ? 5 : i % 11;
        check("indexAdd repeats", 0f, 0f, () -> random(1, 12, 1001).indexAdd(0, Tensor.ofInts(ids), random(2, 200, 1001)));
    }

    @Test
    void onlyUploadsAndDownloadsCrossTheBus() {
        DeviceBackend backend = device();
        Backends.run(backend, () -> {
            TransferStats.Snapshot before = backend.transferStats().snapshot();
            Tensor x = Tensor.of(new float[64 * 48], 64, 48);
            Tensor y = x.mT().matmul(x).softmax().add(1f).sum(0, true).mT().contiguous(); // [48, 1]
            backend.synchronize(); // waits for the kernels without reading anything back
            TransferStats.Snapshot afterCompute = backend.transferStats().snapshot().minus(before);
            assertEquals(1, afterCompute.uploads(), "one upload (Tensor.of): " + afterCompute);
            assertEquals(64 * 48 * 4, afterCompute.uploadedBytes());
            assertEquals(0, afterCompute.downloads(), "no download while computing: " + afterCompute);

            float[] values = x.mT().toFloatArray(); // a strided view: gathered on the device, then one read
            TransferStats.Snapshot afterRead = backend.transferStats().snapshot().minus(before);
            assertEquals(1, afterRead.downloads(), afterRead.toString());
            assertEquals(values.length * 4L, afterRead.downloadedBytes());
            assertEquals(48, y.numel());
        });
    }

    @Test
    void copiesFromAHostBackendAreCountedUploads() {
        DeviceBackend backend = device();
        Tensor host = Backends.with(CpuBackend.instance(), () -> random(3, 5, 7).to(DType.BF16));
        Tensor device = Tensor.empty(backend, DType.BF16, 7, 5);
        TransferStats.Snapshot before = backend.transferStats().snapshot();
        device.mT().copyFrom(host);
        assertEquals(1, backend.transferStats().snapshot().minus(before).uploads());
        assertArrayEquals(host.toFloatArray(), device.mT().toFloatArray());
        Tensor ids = Backends.with(CpuBackend.instance(), () -> Tensor.ofInts(new int[] {1 << 30, -7, 3}));
        Tensor deviceIds = Tensor.empty(backend, DType.I32, 3);
        deviceIds.copyFrom(ids);
        assertArrayEquals(new int[] {1 << 30, -7, 3}, deviceIds.toIntArray());
    }

    @Test
    void hostTensorsAreRejectedByKernelsWithTheirNames() {
        Tensor host = Backends.with(CpuBackend.instance(), () -> random(1, 3));
        Exception e = assertThrows(IllegalArgumentException.class, () -> device().download(host));
        assertTrue(e.getMessage().contains("download") && e.getMessage().contains("not on " + deviceNoun()), e.getMessage());
    }

    @Test
    void contiguousCopiesBetweenDeviceBuffersStayOnTheDevice() {
        DeviceBackend backend = device();
        Backends.run(backend, () -> {
            Tensor src = random(11, 6, 33), ints = Tensor.ofInts(new int[] {7, -3, 1 << 30, 0, 5, 9}).reshape(3, 2);
            Tensor dst = Tensor.zeros(backend, DType.F32, 5, 33), intDst = Tensor.empty(backend, DType.I32, 3, 2);
            TransferStats.Snapshot before = backend.transferStats().snapshot();
            dst.narrow(0, 1, 3).copyFrom(src.narrow(0, 2, 3)); // both contiguous at an offset: one buffer-to-buffer copy
            intDst.copyFrom(ints);
            assertEquals(0, backend.transferStats().snapshot().minus(before).uploads(), "no host round trip");
            float[] all = src.toFloatArray(), out = dst.toFloatArray();
            for (int i = 0; i < 5 * 33; i++) {
                int row = i / 33;
                float expected = row >= 1 && row < 4 ? all[(row + 1) * 33 + i % 33] : 0f;
                assertEquals(expected, out[i], "element " + i);
            }
            assertArrayEquals(new int[] {7, -3, 1 << 30, 0, 5, 9}, intDst.toIntArray());
        });
    }
}
