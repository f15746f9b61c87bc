package dev.gmsa.tensor;

/** Elementwise functions of two arguments (broadcast). {@link #apply} is the scalar reference. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW,
    /** 1 where a > b else 0: masks and the ReLU/max gradients are built from it. */
    GT,
    /** 1 where a == b else 0. */
    EQ;

    public float apply(float a, float b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> (float) Math.pow(a, b);
            case GT -> a > b ? 1f : 0f;
            case EQ -> a == b ? 1f : 0f;
        };
    }
}
