package dev.gmsa.autograd;

import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.autograd.Inputs.Values;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;

/** Analytic gradients of the elementwise ops match central differences, with broadcasting and views. */
class ElementwiseGradientProperties {

    private static final Map<String, BinaryOperator<Var>> BINARY = Map.of(
            "add", Var::add, "sub", Var::sub, "mul", Var::mul, "div", Var::div);

    @Property(tries = 60)
    void binaryOpsReduceBroadcastGradientsToEachInputShape(@ForAll long seed, @ForAll Layout layoutA, @ForAll Layout layoutB,
                                                           @ForAll @IntRange(min = 0, max = 4) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] full = Inputs.shape(rng, rank, 4);
            int[] shapeA = Inputs.broadcastable(rng, full), shapeB = Inputs.broadcastable(rng, full);
            BINARY.forEach((name, op) -> {
                Tensor a = Inputs.random(rng, layoutA, shapeA);
                Tensor b = Inputs.random(rng, layoutB, name.equals("div") ? Values.POSITIVE : Values.GAUSSIAN, shapeB);
                check(name, in -> op.apply(in.get(0), in.get(1)), a, b);
            });
        });
    }

    @Property(tries = 50)
    void scalarOperandOps(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 0, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 5);
            float c = (float) rng.nextDouble(0.5, 2) * (rng.nextBoolean() ? 1 : -1);
            Map<String, UnaryOperator<Var>> ops = Map.of(
                    "add(c)", x -> x.add(c), "sub(c)", x -> x.sub(c), "mul(c)", x -> x.mul(c), "div(c)", x -> x.div(c),
                    "pow(-1.5)", x -> x.pow(-1.5f), "pow(0.5)", x -> x.pow(0.5f), "pow(2)", x -> x.pow(2f), "pow(3)", x -> x.pow(3f));
            ops.forEach((name, op) -> check(name, in -> op.apply(in.get(0)), Inputs.random(rng, layout, Values.POSITIVE, shape)));
        });
    }

    private record Unary(UnaryOperator<Var> op, Values domain) {}

    private static final Map<String, Unary> UNARY = Map.ofEntries(
            Map.entry("neg", new Unary(Var::neg, Values.GAUSSIAN)),
            Map.entry("exp", new Unary(Var::exp, Values.GAUSSIAN)),
            Map.entry("log", new Unary(Var::log, Values.POSITIVE)),
            Map.entry("sqrt", new Unary(Var::sqrt, Values.POSITIVE)),
            Map.entry("rsqrt", new Unary(Var::rsqrt, Values.POSITIVE)),
            Map.entry("tanh", new Unary(Var::tanh, Values.GAUSSIAN)),
            Map.entry("sigmoid", new Unary(Var::sigmoid, Values.GAUSSIAN)),
            Map.entry("silu", new Unary(Var::silu, Values.GAUSSIAN)),
            Map.entry("gelu", new Unary(Var::gelu, Values.GAUSSIAN)),
            Map.entry("relu", new Unary(Var::relu, Values.AWAY_FROM_ZERO)),
            Map.entry("square", new Unary(Var::square, Values.GAUSSIAN)),
            Map.entry("abs", new Unary(Var::abs, Values.AWAY_FROM_ZERO)));

    @Property(tries = 50)
    void unaryOps(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 0, max = 4) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            UNARY.forEach((name, u) -> check(name, in -> u.op().apply(in.get(0)), Inputs.random(rng, layout, u.domain(), shape)));
        });
    }

    @Property(tries = 30)
    void aVarUsedTwiceGetsBothContributions(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int n) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            Tensor x = Inputs.random(rng, Layout.CONTIGUOUS, n);
            check("x * x", in -> in.get(0).mul(in.get(0)), x);
            // a diamond: two paths from x meet again
            check("tanh(x) * exp(x) + x", in -> {
                Var v = in.get(0);
                return v.tanh().mul(v.exp()).add(v);
            }, x);
        });
    }
}
