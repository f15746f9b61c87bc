package dev.gmsa.tensor;

/** Elementwise functions of one argument. {@link #apply} is the scalar reference every kernel is tested against. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, RSQRT, TANH, SIGMOID, SILU, GELU, RELU, ABS, SQUARE, RECIPROCAL, SIN, COS;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case RSQRT -> (float) (1.0 / Math.sqrt(x));
            case TANH -> (float) Math.tanh(x);
            case SIGMOID -> (float) (1.0 / (1.0 + Math.exp(-x)));
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            // tanh approximation, as in GPT-2 and Hugging Face "gelu_pytorch_tanh"
            case GELU -> (float) (0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))));
            case RELU -> x > 0 ? x : 0f;
            case ABS -> Math.abs(x);
            case SQUARE -> x * x;
            case RECIPROCAL -> 1f / x;
            case SIN -> (float) Math.sin(x);
            case COS -> (float) Math.cos(x);
        };
    }
}
