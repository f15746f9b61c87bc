package dev.gmsa.loaders.llama2c;

/**
 * Reorders q/k projection rows from llama2.c's (Meta's) interleaved RoPE layout, where each head rotates row pairs
 * (2i, 2i+1), to Hugging Face's rotate-half layout, where it rotates rows (i, i + headSize/2). This is the permute
 * of transformers' convert_llama_weights_to_hf: within each head, old row 2i + j becomes new row j * headSize/2 + i.
 */
public final class RotaryRowPermutation {
    private RotaryRowPermutation() {}

    /** {@code weight} is [heads * headSize, in] row-major; returns the permuted copy. */
    public static float[] interleavedToHalfSplit(float[] weight, int heads, int headSize, int in) {
        if (weight.length != (long) heads * headSize * in)
            throw new IllegalArgumentException("weight of " + weight.length + " floats is not [" + heads + " * " + headSize + ", " + in + "]");
        int half = headSize / 2;
        float[] out = new float[weight.length];
        for (int h = 0; h < heads; h++)
            for (int i = 0; i < half; i++)
                for (int j = 0; j < 2; j++) {
                    int from = h * headSize + 2 * i + j, to = h * headSize + j * half + i;
                    System.arraycopy(weight, from * in, out, to * in, in);
                }
        return out;
    }
}
