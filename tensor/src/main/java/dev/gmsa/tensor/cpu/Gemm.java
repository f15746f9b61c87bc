package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;

/** Matrix products on the CPU. (First version: the scalar reference; the blocked kernel replaces it.) */
final class Gemm {
    private Gemm() {}

    static void matmul(Tensor a, Tensor b, Tensor out) {
        ReferenceBackend.instance().matmul(a, b, out);
    }
}
