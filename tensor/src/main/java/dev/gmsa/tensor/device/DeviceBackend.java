package dev.gmsa.tensor.device;

import dev.gmsa.tensor.Allocations;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.CounterHash;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.ReduceOp;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Storage;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.UnaryOp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The {@link Backend} on a GPU, whichever API drives it ({@link DeviceRuntime}: OpenCL or CUDA): each op is
 * dispatched to a kernel of the shared kernel sources (resources dev/gmsa/tensor/kernels). Tensors stay in
 * device buffers; the only host/device copies are {@link #upload}, {@link #download} and copies from another
 * backend, all counted in {@link #transferStats()}. Kernels read every input through its view (shape, strides,
 * offset), so transposed, narrowed and broadcast inputs are never materialised.
 */
public abstract class DeviceBackend implements Backend {
    private static final int GEMM_TILE = 64, GEMM_THREADS = 16, GEMV_WG = 64;
    /** Work-items per row of the row kernels (ROW_WG in common.cl): what a fused op's row kernel launches with. */
    public static final int ROW_WORK_GROUP = 128;
    private static final int ROW_WG = ROW_WORK_GROUP;

    private final DeviceRuntime runtime;
    private final String deviceNoun;
    private final TransferStats transfers = new TransferStats();
    private final DeviceMemory memory = new DeviceMemory();

    /** {@code deviceNoun} completes "tensor X is not on ...": "an OpenCL device", "a CUDA device". */
    protected DeviceBackend(DeviceRuntime runtime, String deviceNoun) {
        this.runtime = runtime;
        this.deviceNoun = deviceNoun;
    }

    protected DeviceRuntime runtime() {
        return runtime;
    }

    public TransferStats transferStats() {
        return transfers;
    }

    DeviceMemory memory() {
        return memory;
    }

    /** Device bytes held by storages not yet freed (live tensors, and dead ones the collector has not reached). */
    public long liveDeviceBytes() {
        return memory.liveBytes();
    }

    /** Waits for every launched kernel. */
    @Override
    public void synchronize() {
        runtime.finish();
    }

    @Override
    public String name() {
        return runtime.platform() + ":" + runtime.deviceName();
    }

    // ------------------------------------------------------------------------------------------ memory

    /** The device buffer of a tensor that must live on this backend; {@code op} names the caller in the message. */
    DeviceStorage storage(Tensor t, String op) {
        if (!(t.storage() instanceof DeviceStorage s) || s.backend() != this)
            throw new IllegalArgumentException(name() + " " + op + ": tensor " + t + " is on " + t.backend().name()
                    + ", not on " + deviceNoun + (t.storage() instanceof DeviceStorage ? " (not on this one)" : ""));
        return s;
    }

    /** An uninitialised buffer; when the device is out of memory, dead buffers are reclaimed and it retries once. */
    private DeviceStorage newStorage(DType dtype, int length) {
        long bytes = DeviceStorage.byteSize(dtype, length);
        long buffer = runtime.allocateOrZero(bytes);
        if (buffer == 0) {
            memory.reclaim();
            buffer = runtime.allocateOrZero(bytes);
            if (buffer == 0)
                throw new DeviceException(name() + ": out of device memory allocating " + bytes + " bytes (" + memory.liveBytes()
                        + " bytes held by live tensors); use smaller batches or sequences, or a device with more memory");
        }
        return new DeviceStorage(this, dtype, length, buffer);
    }

    @Override
    public Storage allocate(DType dtype, int length) {
        DeviceStorage s = newStorage(dtype, length);
        if (Allocations.POISONED && length > 0) // tests: a read before a write shows as NaN (see Allocations)
            fill(new Tensor(s, new int[] {length}, new int[] {1}, 0), dtype == DType.I32 ? Allocations.POISON_ID : Float.NaN);
        return s;
    }

    @Override
    public Storage upload(float[] data) {
        DeviceStorage s = newStorage(DType.F32, data.length);
        try (Arena arena = Arena.ofConfined()) {
            if (data.length > 0) write(s, arena.allocateFrom(JAVA_FLOAT, data));
        }
        return s;
    }

    @Override
    public Storage upload(int[] data) {
        DeviceStorage s = newStorage(DType.I32, data.length);
        try (Arena arena = Arena.ofConfined()) {
            if (data.length > 0) write(s, arena.allocateFrom(JAVA_INT, data));
        }
        return s;
    }

    private void write(DeviceStorage s, MemorySegment host) {
        runtime.write(s.buffer, host);
        transfers.hostToDevice(host.byteSize());
    }

    /** Reads elements [offset, offset + count) of a buffer; waits for the kernels before it (in-order queue). */
    private MemorySegment read(DeviceStorage s, int offset, int count, Arena arena) {
        MemorySegment host = arena.allocate((long) count * s.dtype().byteSize(), 4);
        runtime.read(s.buffer, (long) offset * s.dtype().byteSize(), host);
        transfers.deviceToHost(host.byteSize());
        return host;
    }

    /** t itself when it is a contiguous view of the given dtype, else a contiguous device copy (converted on the device). */
    private Tensor contiguousOnDevice(Tensor t, DType dtype) {
        if (t.isContiguous() && t.dtype() == dtype) return t;
        Tensor out = Tensor.empty(this, dtype, t.shape());
        copy(t, out);
        return out;
    }

    @Override
    public float[] download(Tensor t) {
        int n = t.numel();
        if (n == 0) return new float[0];
        storage(t, "download");
        if (t.dtype() == DType.I32) {
            int[] ints = downloadInts(t);
            float[] out = new float[n];
            for (int i = 0; i < n; i++) out[i] = ints[i];
            return out;
        }
        Tensor c = contiguousOnDevice(t, DType.F32);
        try (Arena arena = Arena.ofConfined()) {
            return read(storage(c, "download"), c.offset(), n, arena).toArray(JAVA_FLOAT);
        }
    }

    @Override
    public int[] downloadInts(Tensor t) {
        int n = t.numel();
        if (n == 0) return new int[0];
        Tensor c = contiguousOnDevice(t, DType.I32);
        try (Arena arena = Arena.ofConfined()) {
            return read(storage(c, "downloadInts"), c.offset(), n, arena).toArray(JAVA_INT);
        }
    }

    /** A host-backend tensor copied (as F32 or I32 values) into a new device buffer of the same shape. */
    private Tensor uploadForeign(Tensor src) {
        Storage s = src.dtype() == DType.I32 ? upload(src.backend().downloadInts(src)) : upload(src.backend().download(src));
        return new Tensor(s, src.shape(), Shape.contiguousStrides(src.shape()), 0);
    }

    // ------------------------------------------------------------------------------------------ elementwise

    /**
     * A launch of kernel {@code name} of {@code program}: one of {@link KernelDialect#PROGRAMS}, or the resource path
     * of another module's kernel file without ".cl" (a {@link dev.gmsa.tensor.FusedOp}'s device kernel, say
     * "dev/gmsa/autograd/kernels/adamw"), compiled in the same dialect with the same common.cl.
     */
    public KernelLaunch kernel(String program, String name) {
        return new KernelLaunch(this, program, name);
    }

    @Override
    public void copy(Tensor src, Tensor dst) {
        DeviceStorage to = storage(dst, "copy");
        if (src.storage().backend() != this) src = uploadForeign(src);
        DeviceStorage from = storage(src, "copy");
        if (from != to && src.dtype() == dst.dtype() && src.isContiguous() && dst.isContiguous()) { // a plain memcpy
            long unit = dst.dtype().byteSize();
            if (dst.numel() > 0) runtime.copy(from.buffer, src.offset() * unit, to.buffer, dst.offset() * unit, dst.numel() * unit);
            return;
        }
        kernel("elementwise", "copy_view").tensor(src).tensor(dst).arg(dst.numel()).runFlat(dst.numel());
    }

    @Override
    public void fill(Tensor dst, float value) {
        DeviceStorage s = storage(dst, "fill");
        if (value == 0f && Float.floatToRawIntBits(value) == 0 && dst.offset() == 0 && dst.isContiguous() && dst.numel() == s.length()) {
            if (s.length() > 0) runtime.fillZero(s.buffer, DeviceStorage.byteSize(s.dtype(), s.length())); // a whole buffer: the API's memset
            return;
        }
        kernel("elementwise", "fill_view").tensor(dst).arg(value).arg(dst.numel()).runFlat(dst.numel());
    }

    @Override
    public void iota(Tensor out) {
        kernel("elementwise", "iota_view").tensor(out).arg(out.numel()).runFlat(out.numel());
    }

    @Override
    public void uniform(Tensor out, long seed) {
        kernel("elementwise", "uniform_view").tensor(out).arg(CounterHash.key(seed)).arg(out.numel()).runFlat(out.numel());
    }

    @Override
    public void unary(UnaryOp op, Tensor x, Tensor out) {
        kernel("elementwise", "unary_view").arg(op.ordinal()).tensor(x).tensor(out).arg(out.numel()).runFlat(out.numel());
    }

    @Override
    public void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        kernel("elementwise", "binary_view").arg(op.ordinal()).tensor(a).tensor(b).tensor(out).arg(out.numel()).runFlat(out.numel());
    }

    @Override
    public void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        kernel("elementwise", "where_view").tensor(mask).tensor(a).tensor(b).tensor(out).arg(out.numel()).runFlat(out.numel());
    }

    // ------------------------------------------------------------------------------------------ one axis


    @Override
    public void reduce(ReduceOp op, Tensor x, int axis, Tensor out) {
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        int outer = oli[0], len = oli[1], inner = oli[2];
        if (inner == 1 && len >= 4 * ROW_WG) // long rows: a work-group per row instead of one work-item
            kernel("axis", "reduce_rows").arg(op.ordinal()).tensor(x).tensor(out).arg(len)
                    .run(new long[] {(long) outer * ROW_WG}, new long[] {ROW_WG});
        else
            kernel("axis", "reduce_axis").arg(op.ordinal()).tensor(x).tensor(out).arg(outer).arg(len).arg(inner)
                    .runFlat((long) outer * inner);
    }

    @Override
    public void argmax(Tensor x, int axis, Tensor out) {
        int[] oli = Shape.aroundAxis(x.shape(), axis);
        kernel("axis", "argmax_axis").tensor(x).tensor(out).arg(oli[0]).arg(oli[1]).arg(oli[2]).runFlat((long) oli[0] * oli[2]);
    }

    @Override
    public void indexSelect(Tensor x, int axis, Tensor ids, Tensor out) {
        int[] oli = Shape.aroundAxis(out.shape(), axis);
        kernel("axis", "index_select").tensor(x).tensor(ids).tensor(out).arg(oli[0]).arg(x.size(axis)).arg(oli[1]).arg(oli[2])
                .runFlat(out.numel());
    }

    @Override
    public void indexAdd(Tensor src, int axis, Tensor ids, Tensor out) {
        int[] oli = Shape.aroundAxis(src.shape(), axis);
        int count = oli[1];
        if (count == 0 || src.numel() == 0) return;
        // links: for each j, the next position with the same id and whether j is the first (see axis.cl)
        DeviceStorage links = newStorage(DType.I32, 2 * count);
        kernel("axis", "index_links").tensor(ids).arg(count).buffer(links).runFlat(count);
        kernel("axis", "index_add").tensor(src).tensor(ids).buffer(links).tensor(out).arg(oli[0]).arg(out.size(axis)).arg(count).arg(oli[2])
                .runFlat(src.numel());
    }

    // ------------------------------------------------------------------------------------------ matmul

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        int m = out.size(-2), n = out.size(-1), k = a.size(-1);
        if (m == 0 || n == 0) return;
        int batches = out.numel() / (m * n);
        if (m == 1 && b.strides()[b.rank() - 2] == 1 && k > 1) // decoding step against a weight W [N, K] seen as W^T
            kernel("matmul", "gemv_k_contiguous").tensor(a).tensor(b).tensor(out).arg(n).arg(k)
                    .run(new long[] {(long) n * GEMV_WG, batches}, new long[] {GEMV_WG, 1});
        else if (m == 1)
            kernel("matmul", "gemv_columns").tensor(a).tensor(b).tensor(out).arg(n).arg(k)
                    .run(new long[] {KernelLaunch.roundUp(n, GEMV_WG), batches}, new long[] {GEMV_WG, 1});
        else
            kernel("matmul", "sgemm").tensor(a).tensor(b).tensor(out).arg(m).arg(n).arg(k)
                    .run(new long[] {tiles(n) * GEMM_THREADS, tiles(m) * GEMM_THREADS, batches}, new long[] {GEMM_THREADS, GEMM_THREADS, 1});
    }

    private static long tiles(int size) {
        return (size + GEMM_TILE - 1) / GEMM_TILE;
    }

    // ------------------------------------------------------------------------------------------ rows

    private static int rows(Tensor x) {
        return x.numel() / Math.max(x.size(-1), 1);
    }

    /** One work-group of ROW_WG items per row. */
    private static long[] rowGroups(int rows) {
        return new long[] {(long) rows * ROW_WG};
    }

    private static final long[] ROW_LOCAL = {ROW_WG};

    @Override
    public void softmax(Tensor x, Tensor out) {
        kernel("rows", "softmax_rows").tensor(x).tensor(out).arg(x.size(-1)).arg(0).run(rowGroups(rows(x)), ROW_LOCAL);
    }

    @Override
    public void logSoftmax(Tensor x, Tensor out) {
        kernel("rows", "softmax_rows").tensor(x).tensor(out).arg(x.size(-1)).arg(1).run(rowGroups(rows(x)), ROW_LOCAL);
    }
}
