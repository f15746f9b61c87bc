package dev.gmsa.transformer;

import dev.gmsa.tensor.Tensor;

/**
 * Precomputed rotary-embedding angles: cos and sin of (position * inverse frequency), [maxPositions, headDim/2].
 * The product is taken in float, as Hugging Face does, so angles at large positions round the same way.
 */
public final class RopeTables {
    private final Tensor cos;
    private final Tensor sin;

    public RopeTables(float[] inverseFrequencies, int maxPositions) {
        int half = inverseFrequencies.length;
        float[] c = new float[maxPositions * half], s = new float[maxPositions * half];
        for (int pos = 0; pos < maxPositions; pos++)
            for (int i = 0; i < half; i++) {
                float angle = (float) pos * inverseFrequencies[i];
                c[pos * half + i] = (float) Math.cos(angle);
                s[pos * half + i] = (float) Math.sin(angle);
            }
        this.cos = Tensor.of(c, maxPositions, half);
        this.sin = Tensor.of(s, maxPositions, half);
    }

    public int maxPositions() {
        return cos.size(0);
    }

    /** cos for positions [start, start + length), [length, headDim/2]. */
    public Tensor cos(int start, int length) {
        check(start, length);
        return cos.narrow(0, start, length);
    }

    public Tensor sin(int start, int length) {
        check(start, length);
        return sin.narrow(0, start, length);
    }

    private void check(int start, int length) {
        if (start < 0 || start + length > maxPositions())
            throw new IllegalArgumentException("positions [" + start + ", " + (start + length) + ") exceed the "
                    + maxPositions() + " positions the rotary tables were built for");
    }
}
