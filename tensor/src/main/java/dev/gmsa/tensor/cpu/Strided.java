package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.Tensor;

/** Maps row-major element numbers of a view to positions in its storage. */
final class Strided {
    private Strided() {}

    /** Storage position of the element with row-major number {@code linear}. */
    static int position(Tensor t, int linear) {
        int[] shape = t.shape(), strides = t.strides();
        int pos = t.offset();
        for (int d = shape.length - 1; d >= 0; d--) {
            int size = shape[d];
            pos += (linear % size) * strides[d];
            linear /= size;
        }
        return pos;
    }

    /** Storage positions of all elements in row-major order. */
    static int[] positions(Tensor t) {
        int[] shape = t.shape(), strides = t.strides();
        int n = t.numel();
        int[] out = new int[n];
        int rank = shape.length;
        int[] index = new int[rank];
        int pos = t.offset();
        for (int i = 0; i < n; i++) {
            out[i] = pos;
            for (int d = rank - 1; d >= 0; d--) {
                index[d]++;
                pos += strides[d];
                if (index[d] < shape[d]) break;
                pos -= strides[d] * shape[d];
                index[d] = 0;
            }
        }
        return out;
    }

    static CpuStorage storage(Tensor t) {
        if (!(t.storage() instanceof CpuStorage s))
            throw new IllegalArgumentException("tensor " + t + " is on " + t.backend().name() + ", not in host memory");
        return s;
    }
}
