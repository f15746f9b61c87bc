package dev.gmsa.tensor;

/** A shape, dtype or index that does not fit the operation; the message names the op and the shapes. */
public class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
