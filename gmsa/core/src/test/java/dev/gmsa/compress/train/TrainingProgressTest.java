package dev.gmsa.compress.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress lines without a terminal (logs, pipes) keep their loss and tok/s, even after a long task name. */
class TrainingProgressTest {
    @Test
    void aLongTaskNameDoesNotCutOffTheLoss() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        try (TrainingProgress progress = new TrainingProgress("gmsa-random-lsa-with-a-long-name", 3, 0)) {
            for (int i = 0; i < 3; i++) progress.step(1.2345f, 100);
        } finally {
            System.setErr(saved);
        }
        String out = captured.toString();
        assertTrue(out.contains("3/3") && out.contains("loss 1.2345") && out.contains("tok/s"), out);
    }
}
