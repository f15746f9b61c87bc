package dev.gmsa.tensor.cuda;

import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.DType;
import dev.gmsa.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Run by {@link CudaOnAFakeDriverTest} in its own JVM with -Dgmsa.cuda.library pointing at the fake driver
 * (src/test/c/fake_libcuda.c), which runs fill_view and copy_view on the CPU and rejects PTX newer than 8.4.
 * Prints "fake driver: all checks passed" or throws.
 */
public final class FakeDriverScenario {
    public static void main(String[] args) throws Throwable {
        check(CudaBackend.available(), "the fake driver is available");
        String device = CudaBackend.describeDevices().get(0);
        check(device.equals("0: Fake GPU, compute capability 9.0, 132 multiprocessors, 81920 MiB global memory"), device);
        CudaBackend cuda = CudaBackend.open(0);
        check(cuda.name().equals("cuda:Fake GPU"), cuda.name());

        float[] values = {1, 2, 3, 4, 5, 6};
        Tensor x = Backends.with(cuda, () -> Tensor.of(values, 2, 3)); // cuMemAlloc + cuMemcpyHtoD
        expect("upload then download", values, x.toFloatArray());   // cuMemcpyDtoH

        Tensor y = Tensor.zeros(cuda, DType.F32, 3, 4);                // fill_view (poisoned allocation), then cuMemsetD8
        y.narrow(1, 1, 2).fillInPlace(2.5f);                           // fill_view: buffer, View by value, float, int
        expect("fill of a narrowed view", new float[] {0, 2.5f, 2.5f, 0, 0, 2.5f, 2.5f, 0, 0, 2.5f, 2.5f, 0}, y.toFloatArray());

        Tensor transposed = Tensor.empty(cuda, DType.F32, 3, 2);
        transposed.copyFrom(x.mT());                                   // copy_view through two Views
        expect("copy of a transposed view", new float[] {1, 4, 2, 5, 3, 6}, transposed.toFloatArray());
        Tensor copy = Tensor.empty(cuda, DType.F32, 2, 3);
        copy.copyFrom(x);                                              // cuMemcpyDtoD
        expect("device-to-device copy", values, copy.toFloatArray());

        float[][] fromAnotherThread = new float[1][];
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> { // the fake, like the driver, fails calls on a thread with no current context
            try { fromAnotherThread[0] = transposed.toFloatArray(); } catch (Throwable t) { failure[0] = t; }
        });
        thread.start();
        thread.join();
        if (failure[0] != null) throw new AssertionError("download from another thread", failure[0]);
        expect("download from another thread", new float[] {1, 4, 2, 5, 3, 6}, fromAnotherThread[0]);

        try {
            Backends.with(cuda, () -> x.add(1f));
            throw new AssertionError("binary_view ran on a driver that cannot run it");
        } catch (CudaException e) {
            check(e.getMessage().contains("cuLaunchKernel(binary_view") && e.getMessage().contains("CUDA_ERROR_NOT_SUPPORTED (801)"), e.getMessage());
        }

        SymbolLookup fake = SymbolLookup.libraryLookup(Cuda.LIBRARY, Arena.global());
        int rejected = (int) Linker.nativeLinker().downcallHandle(fake.find("fake_rejected_modules").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT)).invokeExact();
        check(rejected >= 1, "the PTX newer than the fake driver was refused first (" + rejected + " refusals), then loaded");

        System.gc(); // storages freed by the Cleaner thread: cuMemFree there must find the context current too
        Thread.sleep(200);
        System.out.println("fake driver: all checks passed");
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new AssertionError(what);
    }

    private static void expect(String what, float[] expected, float[] actual) {
        if (!Arrays.equals(expected, actual)) throw new AssertionError(what + ": " + Arrays.toString(actual) + ", expected " + Arrays.toString(expected));
    }
}
