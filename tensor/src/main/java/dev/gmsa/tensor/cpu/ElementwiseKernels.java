package dev.gmsa.tensor.cpu;

import dev.gmsa.tensor.BinaryOp;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Elementwise kernels: unary maps, broadcast binary ops and where. Operands are walked as rows of the last
 * merged axis; in each row an operand is either a run of floats (in place when contiguous F32, else read
 * into a scratch row) or, when its inner stride is 0, one broadcast value. Vector tails use the scalar
 * {@link UnaryOp#apply}/{@link BinaryOp#apply} definitions.
 */
final class ElementwiseKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    private ElementwiseKernels() {}

    /** A row of an operand within one tile: floats at data[offset..] or, when data is null, the value. */
    private record Operand(float[] data, int offset, float value) {
        static Operand of(Blocks blocks, int row, int lo, int hi, int slot) {
            int start = blocks.start(row);
            if (blocks.isBroadcast()) return new Operand(null, 0, blocks.storage.get(start));
            float[] array = blocks.array();
            if (array != null) return new Operand(array, start + lo, 0f);
            float[] buffer = StridedLoops.scratch(slot, hi - lo);
            blocks.read(start, lo, hi - lo, buffer, 0);
            return new Operand(buffer, 0, 0f);
        }

        /** A materialised row (broadcast values filled into a scratch row). */
        Operand filled(int n, int slot) {
            if (data != null) return this;
            float[] buffer = StridedLoops.scratch(slot, n);
            Arrays.fill(buffer, 0, n, value);
            return new Operand(buffer, 0, 0f);
        }

        float at(int i) {
            return data == null ? value : data[offset + i];
        }
    }

    /** Where a tile's results go: straight into the output array, or a scratch row written back after. */
    private record Target(float[] data, int offset) {
        static Target of(Blocks out, int row, int lo, int hi) {
            float[] array = out.array();
            return array != null ? new Target(array, out.start(row) + lo) : new Target(StridedLoops.scratch(3, hi - lo), 0);
        }

        void finish(Blocks out, int row, int lo, int hi) {
            if (out.array() == null) out.write(out.start(row), lo, hi - lo, data, 0);
        }
    }

    // ------------------------------------------------------------------------------------------ unary

    static void unary(UnaryOp op, Tensor x, Tensor out) {
        if (out.numel() == 0) return;
        Tensor[] v = StridedLoops.coalesce(x, out);
        Blocks in = Blocks.rows(v[0]), dst = Blocks.rows(v[1]);
        StridedLoops.forTiles(dst.count, dst.length, costOf(op), (row, lo, hi) -> {
            Operand a = Operand.of(in, row, lo, hi, 0).filled(hi - lo, 0);
            Target t = Target.of(dst, row, lo, hi);
            unaryRow(op, a.data, a.offset, t.data, t.offset, hi - lo);
            t.finish(dst, row, lo, hi);
        });
    }

    private static int costOf(UnaryOp op) {
        return switch (op) {
            case NEG, ABS, SQUARE, RELU -> 1;
            default -> 8;
        };
    }

    static void unaryRow(UnaryOp op, float[] x, int xo, float[] out, int oo, int n) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) apply(op, FloatVector.fromArray(F, x, xo + i)).intoArray(out, oo + i);
        for (; i < n; i++) out[oo + i] = op.apply(x[xo + i]);
    }

    /** The vector form of {@link UnaryOp#apply}: the same definitions, lane by lane. */
    static FloatVector apply(UnaryOp op, FloatVector x) {
        return switch (op) {
            case NEG -> x.neg();
            case EXP -> x.lanewise(VectorOperators.EXP);
            case LOG -> x.lanewise(VectorOperators.LOG);
            case SQRT -> x.sqrt();
            case RSQRT -> x.broadcast(1f).div(x.sqrt());
            case TANH -> x.lanewise(VectorOperators.TANH);
            case SIGMOID -> x.broadcast(1f).div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            case SILU -> x.div(x.neg().lanewise(VectorOperators.EXP).add(1f));
            // 0.5 x (1 + tanh(u)) written as x / (1 + exp(-2u)): the same function, without float cancellation for x << 0
            case GELU -> x.div(x.mul(x).mul(x).mul(0.044715f).add(x).mul(-2f * SQRT_2_OVER_PI).lanewise(VectorOperators.EXP).add(1f));
            case RELU -> x.broadcast(0f).blend(x, x.compare(VectorOperators.GT, 0f));
            case ABS -> x.abs();
            case SQUARE -> x.mul(x);
            case RECIPROCAL -> x.broadcast(1f).div(x);
            case SIN -> x.lanewise(VectorOperators.SIN);
            case COS -> x.lanewise(VectorOperators.COS);
        };
    }

    // ------------------------------------------------------------------------------------------ binary

    /** a and b are already expanded to out's shape (broadcast axes have stride 0). */
    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        Tensor[] v = StridedLoops.coalesce(a, b, out);
        Blocks ra = Blocks.rows(v[0]), rb = Blocks.rows(v[1]), dst = Blocks.rows(v[2]);
        StridedLoops.forTiles(dst.count, dst.length, op == BinaryOp.POW ? 8 : 1, (row, lo, hi) -> {
            Operand x = Operand.of(ra, row, lo, hi, 0), y = Operand.of(rb, row, lo, hi, 1);
            Target t = Target.of(dst, row, lo, hi);
            binaryRow(op, x, y, t.data, t.offset, hi - lo);
            t.finish(dst, row, lo, hi);
        });
    }

    private static void binaryRow(BinaryOp op, Operand a, Operand b, float[] out, int oo, int n) {
        if (a.data == null && b.data == null) {
            Arrays.fill(out, oo, oo + n, op.apply(a.value, b.value));
            return;
        }
        int i = 0, bound = F.loopBound(n), step = F.length();
        if (a.data != null && b.data != null) {
            for (; i < bound; i += step)
                apply(op, FloatVector.fromArray(F, a.data, a.offset + i), FloatVector.fromArray(F, b.data, b.offset + i)).intoArray(out, oo + i);
        } else if (a.data != null) { // b is one broadcast value: a bias, a scale, a column of a row-wise op
            FloatVector vb = FloatVector.broadcast(F, b.value);
            for (; i < bound; i += step) apply(op, FloatVector.fromArray(F, a.data, a.offset + i), vb).intoArray(out, oo + i);
        } else {
            FloatVector va = FloatVector.broadcast(F, a.value);
            for (; i < bound; i += step) apply(op, va, FloatVector.fromArray(F, b.data, b.offset + i)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = op.apply(a.at(i), b.at(i));
    }

    /** The vector form of {@link BinaryOp#apply}. */
    static FloatVector apply(BinaryOp op, FloatVector a, FloatVector b) {
        return switch (op) {
            case ADD -> a.add(b);
            case SUB -> a.sub(b);
            case MUL -> a.mul(b);
            case DIV -> a.div(b);
            case MAX -> a.max(b);
            case MIN -> a.min(b);
            case POW -> a.lanewise(VectorOperators.POW, b);
            case GT -> a.broadcast(0f).blend(1f, a.compare(VectorOperators.GT, b));
            case EQ -> a.broadcast(0f).blend(1f, a.compare(VectorOperators.EQ, b));
        };
    }

    // ------------------------------------------------------------------------------------------ where

    /** out = mask != 0 ? a : b, all three expanded to out's shape. */
    static void where(Tensor mask, Tensor a, Tensor b, Tensor out) {
        if (out.numel() == 0) return;
        Tensor[] v = StridedLoops.coalesce(mask, a, b, out);
        Blocks rm = Blocks.rows(v[0]), ra = Blocks.rows(v[1]), rb = Blocks.rows(v[2]), dst = Blocks.rows(v[3]);
        StridedLoops.forTiles(dst.count, dst.length, 1, (row, lo, hi) -> {
            int n = hi - lo;
            // broadcast operands are filled into rows: one loop shape instead of eight
            Operand m = Operand.of(rm, row, lo, hi, 0).filled(n, 0);
            Operand x = Operand.of(ra, row, lo, hi, 1).filled(n, 1);
            Operand y = Operand.of(rb, row, lo, hi, 2).filled(n, 2);
            Target t = Target.of(dst, row, lo, hi);
            whereRow(m, x, y, t.data, t.offset, n);
            t.finish(dst, row, lo, hi);
        });
    }

    private static void whereRow(Operand m, Operand a, Operand b, float[] out, int oo, int n) {
        int i = 0, bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector mv = FloatVector.fromArray(F, m.data, m.offset + i);
            FloatVector av = FloatVector.fromArray(F, a.data, a.offset + i);
            FloatVector.fromArray(F, b.data, b.offset + i).blend(av, mv.compare(VectorOperators.NE, 0f)).intoArray(out, oo + i);
        }
        for (; i < n; i++) out[oo + i] = m.at(i) != 0 ? a.at(i) : b.at(i);
    }
}
