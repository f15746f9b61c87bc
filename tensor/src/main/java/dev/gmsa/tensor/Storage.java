package dev.gmsa.tensor;

/** A flat buffer of elements owned by one backend; tensors are views over it. */
public interface Storage {
    DType dtype();

    /** Number of elements. */
    int length();

    Backend backend();
}
