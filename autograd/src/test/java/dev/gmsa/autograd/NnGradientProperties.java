package dev.gmsa.autograd;

import dev.gmsa.autograd.fused.RmsNorm;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.autograd.Inputs.Values;
import dev.gmsa.autograd.fused.Rope;
import dev.gmsa.autograd.fused.RopeLayout;
import dev.gmsa.tensor.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static dev.gmsa.autograd.GradCheck.check;
import static dev.gmsa.autograd.GradCheck.onReference;

/** Gradients of the neural-network ops: fused forwards with hand-written backwards, and composed ones. */
class NnGradientProperties {

    @Property(tries = 50)
    void softmaxAndLogSoftmax(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 5);
            check("softmax", in -> in.get(0).softmax(), Inputs.random(rng, layout, shape));
            check("logSoftmax", in -> in.get(0).logSoftmax(), Inputs.random(rng, layout, shape));
        });
    }

    @Property(tries = 50)
    void rmsNormOfInputAndWeight(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 5);
            int d = shape[rank - 1];
            // |x| >= 0.2 keeps each row's rms well above h, where central differences stay accurate
            check("rmsNorm", in -> RmsNorm.apply(in.get(0), in.get(1), 1e-5f), Inputs.random(rng, layout, Values.AWAY_FROM_ZERO, shape),
                    Inputs.random(rng, Layout.CONTIGUOUS, d));
            // a frozen weight: only the input's gradient is computed
            Tensor frozenWeight = Inputs.random(rng, Layout.CONTIGUOUS, d);
            check("rmsNorm, constant weight", in -> RmsNorm.apply(in.get(0), Var.constant(frozenWeight), 1e-5f),
                    Inputs.random(rng, layout, Values.AWAY_FROM_ZERO, shape));
        });
    }

    @Property(tries = 50)
    void ropeBackwardIsTheInverseRotation(@ForAll long seed, @ForAll Layout layout, @ForAll RopeLayout ropeLayout,
                                          @ForAll @IntRange(min = 1, max = 4) int t, @ForAll @IntRange(min = 1, max = 3) int halfD) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            Tensor angles = Tensor.rand(seed, -3f, 3f, t, halfD);
            Tensor cos = angles.map(dev.gmsa.tensor.UnaryOp.COS), sin = angles.map(dev.gmsa.tensor.UnaryOp.SIN);
            check("rope [T, D]", in -> Rope.apply(in.get(0), cos, sin, ropeLayout), Inputs.random(rng, layout, t, 2 * halfD));
            check("rope [B, H, T, D]", in -> Rope.apply(in.get(0), cos, sin, ropeLayout), Inputs.random(rng, layout, 2, 2, t, 2 * halfD));
        });
    }

    @Property(tries = 50)
    void indexSelectAndEmbeddingAccumulateRepeatedIds(@ForAll long seed, @ForAll Layout layout,
                                                      @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 4);
            int axis = rng.nextInt(rank);
            Tensor ids = Inputs.ids(rng, 1 + rng.nextInt(6), shape[axis]);
            check("indexSelect", in -> in.get(0).indexSelect(axis, ids).tanh(), Inputs.random(rng, layout, shape));
            int vocab = 1 + rng.nextInt(5), d = 1 + rng.nextInt(4);
            Tensor tokenIds = Inputs.ids(rng, 6, vocab).reshape(2, 3);
            check("embedding", in -> in.get(0).embedding(tokenIds).tanh(), Inputs.random(rng, layout, vocab, d));
        });
    }

    @Property(tries = 50)
    void concatAndStackSplitTheGradient(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 3) int rank) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int[] shape = Inputs.shape(rng, rank, 3);
            int axis = rng.nextInt(rank);
            int[] s1 = shape.clone(), s2 = shape.clone();
            s2[axis] = 1 + rng.nextInt(3);
            check("concat", in -> Var.concat(axis, in.get(0), in.get(1), in.get(2)).tanh(),
                    Inputs.random(rng, layout, s1), Inputs.random(rng, layout, s2), Inputs.random(rng, Layout.CONTIGUOUS, s1));
            int stackAxis = rng.nextInt(rank + 1);
            check("stack", in -> Var.stack(stackAxis, in.get(0), in.get(1)).tanh(),
                    Inputs.random(rng, layout, shape), Inputs.random(rng, Layout.CONTIGUOUS, shape));
        });
    }

    @Property(tries = 50)
    void maskedFillPassesNoGradientWhereMasked(@ForAll long seed, @ForAll Layout layout,
                                               @ForAll @IntRange(min = 1, max = 5) int t) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int s = t + rng.nextInt(3);
            Tensor causal = Tensor.causalMask(t, s, s - t); // every row keeps at least one key
            check("maskedFill(-inf) then softmax", in -> in.get(0).maskedFill(causal, Float.NEGATIVE_INFINITY).softmax(),
                    Inputs.random(rng, layout, 2, t, s));
            float[] m = new float[s];
            for (int i = 0; i < s; i++) m[i] = rng.nextBoolean() ? 1 : 0;
            Tensor rowMask = Tensor.of(m, s);
            check("maskedFill(3) with a broadcast mask", in -> in.get(0).maskedFill(rowMask, 3f).tanh(),
                    Inputs.random(rng, layout, t, s));
            check("maskedFill on a broadcast input", in -> in.get(0).maskedFill(Tensor.of(m, 1, s).expand(t, s), 3f).tanh(),
                    Inputs.random(rng, layout, 1, s));
        });
    }

    @Property(tries = 30)
    void dropoutGradientIsItsMask(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 8) int n) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            // p <= 0.5 keeps the 1/(1-p) scale small, so tanh stays smooth enough for the finite-difference step
            float p = (float) rng.nextDouble(0.05, 0.5);
            // the same generator seed in every evaluation: the same mask
            check("dropout", in -> in.get(0).dropout(p, new SplittableRandom(seed + 1)).tanh(), Inputs.random(rng, layout, 3, n));
        });
    }

    @Property(tries = 50)
    void crossEntropyOverRowsNotIgnored(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 5) int rows,
                                        @ForAll @IntRange(min = 1, max = 6) int vocab) {
        onReference(() -> {
            var rng = new SplittableRandom(seed);
            int ignore = -100;
            int[] targets = new int[rows];
            for (int r = 0; r < rows; r++) targets[r] = rng.nextInt(4) == 0 ? ignore : rng.nextInt(vocab);
            Tensor targetTensor = Tensor.ofInts(targets);
            check("crossEntropy", in -> in.get(0).crossEntropy(targetTensor, ignore), Inputs.random(rng, layout, Values.GAUSSIAN, rows, vocab));
            // composed from primitives: -mean over counted rows of logSoftmax at the target
            check("crossEntropy inside a graph", in -> in.get(0).mul(2f).tanh().crossEntropy(targetTensor, ignore).mul(3f),
                    Inputs.random(rng, layout, rows, vocab));
        });
    }
}
