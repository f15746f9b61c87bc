package dev.gmsa.tensor;

/** A flat buffer of elements owned by one backend; tensors are views over it. */
public interface Storage {
    DType dtype();

    /** Number of elements. */
    int length();

    Backend backend();

    /** What is known of this I32 storage's values without reading them; null when nothing is (see {@link IdSummary}). */
    IdSummary knownIds();

    /** Records what is known of the values (null: nothing); every write through {@link Tensor} updates it. */
    void knownIds(IdSummary summary);
}
