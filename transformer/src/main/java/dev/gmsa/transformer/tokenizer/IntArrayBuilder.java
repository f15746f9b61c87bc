package dev.gmsa.transformer.tokenizer;

import java.util.Arrays;

/** A growable int[] (token ids are appended one by one). */
final class IntArrayBuilder {
    private int[] values = new int[16];
    private int size;

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    void addAll(int[] vs) {
        if (size + vs.length > values.length) values = Arrays.copyOf(values, Math.max(values.length * 2, size + vs.length));
        System.arraycopy(vs, 0, values, size, vs.length);
        size += vs.length;
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
