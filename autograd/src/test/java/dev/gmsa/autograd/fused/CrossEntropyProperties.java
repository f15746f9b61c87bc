package dev.gmsa.autograd.fused;

import dev.gmsa.autograd.Inputs;
import dev.gmsa.autograd.Inputs.Layout;
import dev.gmsa.tensor.Backend;
import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.ShapeException;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.CpuBackend;
import dev.gmsa.tensor.cpu.ReferenceBackend;
import dev.gmsa.tensor.opencl.OpenClBackend;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-entropy's fused op: per-row losses, the mean and the backward of every kernel (CPU, composed fallback,
 * device on PoCL) against the scalar reference, on strided logits, ignored rows, vocabularies past one device
 * work-group and sharp (high-temperature) rows. Its gradient against finite differences is in NnGradientProperties.
 */
class CrossEntropyProperties {
    private static final int IGNORE = -100;

    @Property(tries = 30)
    void everyKernelMatchesTheScalarReference(@ForAll long seed, @ForAll Layout layout, @ForAll @IntRange(min = 1, max = 9) int rows,
                                              @ForAll @IntRange(min = 1, max = 300) int vocab, @ForAll @IntRange(min = 1, max = 20) int temperature) {
        for (Backend b : backends()) checkKernels(b, seed, layout, rows, vocab, temperature);
    }

    @Test
    void manyRowsSplitOverThreadsAgreeToo() {
        for (Backend b : backends()) checkKernels(b, 3, Layout.CONTIGUOUS, 300, 513, 4);
    }

    @Test
    void theMeanCountsOnlyRowsNotIgnored() {
        Tensor logits = Tensor.of(new float[] {0, 0, 0, 5, 1, 2, 1, 1, 1}, 3, 3);
        Tensor targets = Tensor.ofInts(new int[] {0, -1, 2});
        float ln3 = (float) Math.log(3);
        assertArrayEquals(new float[] {ln3, 0, ln3}, CrossEntropy.perRow(logits, targets, -1).toFloatArray(), 1e-6f);
        assertEquals(ln3, CrossEntropy.mean(logits, targets, -1).item(), 1e-6f);
        assertEquals(0f, CrossEntropy.mean(logits, Tensor.ofInts(new int[] {-1, -1, -1}), -1).item(), "all ignored: 0, not NaN");
        assertEquals(2, CrossEntropy.countNotIgnored(targets, -1));
    }

    @Test
    void targetsOutsideTheVocabularyAreRejectedWhetherProvenOrRead() {
        Tensor logits = Tensor.zeros(2, 4);
        ShapeException e = assertThrows(ShapeException.class, () -> CrossEntropy.mean(logits, Tensor.ofInts(new int[] {1, 4}), -1));
        assertTrue(e.getMessage().contains("target 4 outside vocabulary [0, 4)"), e.getMessage());
        Tensor unknown = Tensor.ofInts(new int[] {0, 0});
        unknown.fillInPlace(5f); // its values changed: nothing is known of them, so they are read back and checked
        e = assertThrows(ShapeException.class, () -> CrossEntropy.mean(logits, unknown, -1));
        assertTrue(e.getMessage().contains("target 5 outside vocabulary [0, 4)"), e.getMessage());
        assertEquals((float) Math.log(4), CrossEntropy.mean(logits, Tensor.ofInts(new int[] {-1, 3}), -1).item(), 1e-6f);
    }

    @Test
    void mismatchedShapesAreRejectedWithTheShapes() {
        ShapeException e = assertThrows(ShapeException.class, () -> CrossEntropy.mean(Tensor.zeros(2, 3), Tensor.ofInts(new int[] {0}), -1));
        assertTrue(e.getMessage().contains("crossEntropy") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(ShapeException.class, () -> CrossEntropy.mean(Tensor.zeros(6), Tensor.ofInts(new int[] {0}), -1));
        assertThrows(ShapeException.class, () -> CrossEntropy.backward(Tensor.zeros(1, 3), Tensor.ofInts(new int[] {0}), -1, Tensor.zeros(2)));
    }

    private static Backend[] backends() {
        boolean openCl = "true".equalsIgnoreCase(System.getenv("CI")) || OpenClBackend.available(); // CI installs PoCL
        return openCl ? new Backend[] {CpuBackend.instance(), ReferenceBackend.instance(), OpenClBackend.open(0)}
                : new Backend[] {CpuBackend.instance(), ReferenceBackend.instance()};
    }

    /** Every third row ignored; the backward's scale is the mean's 1 / counted rows. */
    private static void checkKernels(Backend backend, long seed, Layout layout, int rows, int vocab, int temperature) {
        int[] targets = targets(seed, rows, vocab);
        float scale = 1f / Math.max(1, (int) Arrays.stream(targets).filter(t -> t != IGNORE).count());
        float[][] got = Backends.with(backend, () -> {
            Tensor logits = logits(seed, layout, rows, vocab, temperature), t = Tensor.ofInts(targets);
            return new float[][] {CrossEntropy.perRow(logits, t, IGNORE).toFloatArray(),
                    CrossEntropy.backward(logits, t, IGNORE, Tensor.scalar(scale)).toFloatArray(),
                    {CrossEntropy.mean(logits, t, IGNORE).item()}};
        });
        float[][] composed = Backends.with(backend, () -> {
            Tensor logits = logits(seed, layout, rows, vocab, temperature), t = Tensor.ofInts(targets);
            Tensor perRow = Tensor.empty(backend, dev.gmsa.tensor.DType.F32, rows), grad = Tensor.empty(backend, dev.gmsa.tensor.DType.F32, rows, vocab);
            CrossEntropy.FORWARD.composed().run(logits, t, IGNORE, perRow);
            CrossEntropy.BACKWARD.composed().run(logits, t, IGNORE, Tensor.scalar(scale), grad);
            return new float[][] {perRow.toFloatArray(), grad.toFloatArray()};
        });
        float[] values = Backends.with(ReferenceBackend.instance(), () -> logits(seed, layout, rows, vocab, temperature).toFloatArray());
        float[] perRow = CrossEntropy.referenceForward(values, targets, IGNORE);
        float[] grad = CrossEntropy.referenceBackward(values, targets, IGNORE, scale);
        double mean = 0;
        for (float l : perRow) mean += l * scale;
        String what = backend.name() + " [" + rows + ", " + vocab + "] " + layout + " x" + temperature;
        assertClose(what + " per row", perRow, got[0], 1e-5f);
        assertClose(what + " backward", grad, got[1], 1e-6f);
        assertEquals(mean, got[2][0], 1e-5f + 1e-4f * Math.abs(mean), what + " mean");
        assertClose(what + " composed per row", perRow, composed[0], 1e-5f);
        assertClose(what + " composed backward", grad, composed[1], 1e-6f);
    }

    private static int[] targets(long seed, int rows, int vocab) {
        var rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int[] t = new int[rows];
        for (int r = 0; r < rows; r++) t[r] = r % 3 == 0 ? IGNORE : rng.nextInt(vocab);
        return t;
    }

    private static Tensor logits(long seed, Layout layout, int rows, int vocab, int temperature) {
        return Inputs.random(new SplittableRandom(seed), layout, rows, vocab).mul(temperature);
    }

    private static void assertClose(String what, float[] expected, float[] actual, float atol) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], atol + 1e-4f * Math.abs(expected[i]), what + " [" + i + "]");
    }
}
