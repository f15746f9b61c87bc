package dev.gmsa.autograd;

import dev.gmsa.tensor.Backends;
import dev.gmsa.tensor.Shape;
import dev.gmsa.tensor.Tensor;
import dev.gmsa.tensor.cpu.ReferenceBackend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares analytic gradients with central finite differences. The objective is L = sum(f(inputs) * W) for
 * fixed random weights W, so d L / d out = W is the backward seed. Everything runs on the scalar
 * {@link ReferenceBackend} (double accumulation, F32 storage) and L is summed on the host in double.
 *
 * <p>Tolerance: with h = 1e-2 the truncation error of a central difference is about h^2 |f'''| / 6 ~ 2e-5,
 * and F32 rounding of the outputs adds ~6e-8 |L| / h; we accept |analytic - numeric| <= 1e-2 |numeric| + 2e-3.
 * Inputs are built so that no element lies within h of a kink (relu, abs, max ties).
 */
public final class GradCheck {
    static final float H = 1e-2f;
    static final double RTOL = 1e-2, ATOL = 2e-3;

    private GradCheck() {}

    /** Runs {@code body} with the reference backend as the current backend. */
    public static void onReference(Runnable body) {
        Backends.run(ReferenceBackend.instance(), body);
    }

    /**
     * Checks the gradient of f with respect to every input. Inputs may be any view (transposed, narrowed,
     * expanded): the analytic pass uses them as they are, the numeric pass perturbs contiguous copies of
     * their logical values, so gradients are compared element by element of each input's shape.
     */
    public static void check(String what, Function<List<Var>, Var> f, Tensor... inputs) {
        List<Var> params = new ArrayList<>();
        for (Tensor t : inputs) params.add(Var.param(t));
        Var out = f.apply(params);
        Tensor weights = Tensor.randn(31L * out.numel() + 7, 1f, out.shape()).reshape(out.shape());
        out.backward(weights);

        float[] w = weights.toFloatArray();
        float[][] base = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) base[i] = inputs[i].toFloatArray();
        // the kernels must give the same forward on views as on contiguous copies
        assertAllClose(what + ": forward on views vs contiguous", objectiveOutput(f, inputs, base), out.value().toFloatArray(), 1e-5, 1e-5);

        for (int i = 0; i < inputs.length; i++) {
            Tensor grad = params.get(i).grad();
            float[] analytic = grad == null ? new float[base[i].length] : grad.toFloatArray();
            if (grad != null) assertEquals(Shape.str(inputs[i].shape()), Shape.str(grad.shape()), what + ": gradient shape");
            for (int j = 0; j < base[i].length; j++) {
                float saved = base[i][j];
                base[i][j] = saved + H;
                double plus = dot(objectiveOutput(f, inputs, base), w);
                base[i][j] = saved - H;
                double minus = dot(objectiveOutput(f, inputs, base), w);
                base[i][j] = saved;
                double numeric = (plus - minus) / (2 * H);
                if (!(Math.abs(analytic[j] - numeric) <= ATOL + RTOL * Math.abs(numeric)))
                    fail(what + ": d/d input " + i + " " + Shape.str(inputs[i].shape()) + " element " + j
                            + ": analytic " + analytic[j] + " vs numeric " + numeric);
            }
        }
    }

    /** f evaluated at contiguous tensors holding {@code values}, recording nothing. */
    private static float[] objectiveOutput(Function<List<Var>, Var> f, Tensor[] inputs, float[][] values) {
        try (var _ = Grad.disabled()) {
            List<Var> constants = new ArrayList<>();
            for (int i = 0; i < inputs.length; i++) constants.add(Var.constant(Inputs.of(values[i], inputs[i].shape())));
            return f.apply(constants).value().toFloatArray();
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    public static void assertAllClose(String what, float[] expected, float[] actual, double rtol, double atol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++)
            if (!(Math.abs(expected[i] - actual[i]) <= atol + rtol * Math.abs(expected[i])) && !(expected[i] == actual[i]))
                fail(what + ": element " + i + " expected " + expected[i] + " got " + actual[i] + " (of " + Arrays.toString(
                        Arrays.copyOf(expected, Math.min(8, expected.length))) + "...)");
    }
}
