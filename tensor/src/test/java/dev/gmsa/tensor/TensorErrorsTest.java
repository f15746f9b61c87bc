package dev.gmsa.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input fails early with a ShapeException that names the op and the shapes involved. */
class TensorErrorsTest {
    private static void assertMessage(Executable call, String... parts) {
        ShapeException e = assertThrows(ShapeException.class, call);
        for (String part : parts)
            assertTrue(e.getMessage().contains(part), "message \"" + e.getMessage() + "\" should mention " + part);
    }

    @Test
    void shapeMismatchNamesTheOpAndBothShapes() {
        assertMessage(() -> Tensor.zeros(2, 3).add(Tensor.zeros(4)), "add", "[2, 3]", "[4]");
        assertMessage(() -> Tensor.zeros(2, 3).matmul(Tensor.zeros(4, 5)), "matmul", "[2, 3]", "[4, 5]");
        assertMessage(() -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)), "concat", "[2, 3]", "[2, 4]");
    }

    @Test
    void badAxisIsReported() {
        assertMessage(() -> Tensor.zeros(2, 3).sum(2, false), "sum", "axis 2", "rank 2");
        assertMessage(() -> Tensor.zeros(2, 3).transpose(0, -3), "transpose", "axis -3");
        assertMessage(() -> Tensor.zeros(2, 3).squeeze(1), "squeeze", "[2, 3]");
    }

    @Test
    void outOfRangeIndicesAreReported() {
        assertMessage(() -> Tensor.zeros(4, 2).indexSelect(0, Tensor.ofInts(new int[] {1, 4})), "indexSelect", "index 4", "[0, 4)");
        assertMessage(() -> Tensor.zeros(4, 2).embedding(Tensor.ofInts(new int[] {-1})), "indexSelect", "index -1");
        assertMessage(() -> Tensor.zeros(2, 3).narrow(1, 2, 2), "narrow", "[2, 4)", "[2, 3]");
    }

    @Test
    void reshapeOfIncompatibleSizesIsReported() {
        assertMessage(() -> Tensor.zeros(2, 3).reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        assertMessage(() -> Tensor.zeros(2, 3).reshape(-1, 4), "reshape", "[2, 3]", "[-1, 4]");
        assertMessage(() -> Tensor.zeros(2, 3).expand(4, 3), "expand", "[2, 3]", "[4, 3]");
    }
}
