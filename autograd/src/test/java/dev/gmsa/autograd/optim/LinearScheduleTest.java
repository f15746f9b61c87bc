package dev.gmsa.autograd.optim;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LinearScheduleTest {

    @Test
    void warmsUpLinearlyThenDecaysLinearlyToZero() {
        var schedule = new LinearSchedule(4, 10);
        float[] expected = {0f, 0.25f, 0.5f, 0.75f, 1f, 5 / 6f, 4 / 6f, 3 / 6f, 2 / 6f, 1 / 6f, 0f, 0f};
        for (int step = 0; step < expected.length; step++)
            assertEquals(expected[step], schedule.multiplier(step), 1e-6f, "step " + step);
    }

    @Test
    void withoutWarmUpItStartsAtOne() {
        var schedule = new LinearSchedule(0, 4);
        assertEquals(1f, schedule.multiplier(0));
        assertEquals(0.5f, schedule.multiplier(2));
        assertThrows(IllegalArgumentException.class, () -> new LinearSchedule(5, 4));
    }
}
