package dev.gmsa.autograd;

import dev.gmsa.autograd.Inputs.Layout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;

/** Gradients of matmul for every NumPy case: 1-D promotion, batches, broadcast batches, transposed operands. */
class MatmulGradientProperties {

    @Property(tries = 50)
    void matmulAllOperandKinds(@ForAll long seed, @ForAll Layout layoutA, @ForAll Layout layoutB,
                               @ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k,
                               @ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 3) int batch) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[][][] cases = {
                    {{m, k}, {k, n}},                // matrix x matrix
                    {{batch, m, k}, {batch, k, n}},  // batched
                    {{batch, 1, m, k}, {2, k, n}},   // batch axes broadcast against each other
                    {{batch, m, k}, {k, n}},         // a linear layer: [B, T, K] x [K, N]
                    {{m, k}, {batch, k, n}},         // a shared left operand
                    {{k}, {k, n}},                   // vector x matrix
                    {{m, k}, {k}},                   // matrix x vector
                    {{k}, {k}},                      // dot product, a 0-d result
                    {{k}, {batch, k, n}},            // vector x batched matrices
            };
            for (int[][] c : cases) {
                String what = "matmul " + java.util.Arrays.toString(c[0]) + " x " + java.util.Arrays.toString(c[1]);
                check(what, in -> in.get(0).matmul(in.get(1)), Inputs.random(rng, layoutA, c[0]), Inputs.random(rng, layoutB, c[1]));
            }
        });
    }

    @Property(tries = 30)
    void matmulAgainstATransposedVar(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int t,
                                     @ForAll @IntRange(min = 1, max = 4) int d) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            // attention scores q k^T on [B, T, D]
            check("q k^T", in -> in.get(0).matmul(in.get(1).mT()), Inputs.random(rng, Layout.CONTIGUOUS, 2, t, d),
                    Inputs.random(rng, Layout.NARROWED, 2, t + 1, d));
        });
    }
}
