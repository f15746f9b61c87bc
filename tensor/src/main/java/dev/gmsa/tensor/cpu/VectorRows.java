package dev.gmsa.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector loops over one row of floats (data[offset .. offset + n)), shared by the reductions, softmax,
 * norms and cross-entropy (the public ones also by fused-op units of other modules). Sums accumulate in float, one partial sum per lane, then across lanes.
 */
public final class VectorRows {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorRows() {}

    static float sum(float[] a, int o, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) acc = acc.add(FloatVector.fromArray(F, a, o + i));
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[o + i];
        return s;
    }

    /** The maximum (NaN if any element is NaN, -infinity for an empty row), as Math.max folds it. */
    public static float max(float[] a, int o, int n) {
        FloatVector acc = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) acc = acc.max(FloatVector.fromArray(F, a, o + i));
        float m = acc.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) m = Math.max(m, a[o + i]);
        return m;
    }

    public static float sumOfSquares(float[] a, int o, int n) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, a, o + i);
            acc = v.fma(v, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += a[o + i] * a[o + i];
        return s;
    }

    /** sum of exp(a[i] - shift) over the row. */
    public static float sumExp(float[] a, int o, int n, float shift) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            acc = acc.add(FloatVector.fromArray(F, a, o + i).sub(shift).lanewise(VectorOperators.EXP));
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) s += (float) Math.exp(a[o + i] - shift);
        return s;
    }

    /** out[i] = exp(a[i] - shift); returns their sum. */
    public static float expInto(float[] a, int o, int n, float shift, float[] out, int oo) {
        FloatVector acc = FloatVector.zero(F);
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, a, o + i).sub(shift).lanewise(VectorOperators.EXP);
            e.intoArray(out, oo + i);
            acc = acc.add(e);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            float e = (float) Math.exp(a[o + i] - shift);
            out[oo + i] = e;
            s += e;
        }
        return s;
    }

    /** out[i] = a[i] + add. */
    static void shift(float[] a, int o, int n, float add, float[] out, int oo) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) FloatVector.fromArray(F, a, o + i).add(add).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = a[o + i] + add;
    }

    /** out[i] = a[i] * scale. */
    public static void scale(float[] a, int o, int n, float scale, float[] out, int oo) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) FloatVector.fromArray(F, a, o + i).mul(scale).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = a[o + i] * scale;
    }

    /** acc[i] += a[i]. */
    public static void addInto(float[] a, int o, int n, float[] acc, int ao) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, acc, ao + i).add(FloatVector.fromArray(F, a, o + i)).intoArray(acc, ao + i);
        for (; i < n; i++) acc[ao + i] += a[o + i];
    }

    /** acc[i] = max(acc[i], a[i]). */
    static void maxInto(float[] a, int o, int n, float[] acc, int ao) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length())
            FloatVector.fromArray(F, acc, ao + i).max(FloatVector.fromArray(F, a, o + i)).intoArray(acc, ao + i);
        for (; i < n; i++) acc[ao + i] = Math.max(acc[ao + i], a[o + i]);
    }

    /** Index of the first maximum (the first NaN if there is one), as the reference argmax picks it. */
    static int argmax(float[] a, int o, int n) {
        float m = max(a, o, n);
        if (Float.isNaN(m)) {
            for (int i = 0; i < n; i++) if (Float.isNaN(a[o + i])) return i;
        }
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            VectorMask<Float> hit = FloatVector.fromArray(F, a, o + i).compare(VectorOperators.EQ, m);
            if (hit.anyTrue()) return i + hit.firstTrue();
        }
        for (; i < n; i++) if (a[o + i] == m) return i;
        return 0;
    }
}
