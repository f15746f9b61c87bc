package dev.gmsa.bench;

import java.util.Arrays;

/** Wall times of repeated runs of one operation: warm-up runs first, then the timed ones, summarised by the median. */
record RunTimes(double[] seconds) {
    static RunTimes measure(int warmup, int runs, Runnable op) {
        for (int i = 0; i < warmup; i++) op.run();
        double[] s = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            op.run();
            s[i] = (System.nanoTime() - t0) * 1e-9;
        }
        Arrays.sort(s);
        return new RunTimes(s);
    }

    double median() {
        int n = seconds.length;
        return n % 2 == 1 ? seconds[n / 2] : 0.5 * (seconds[n / 2 - 1] + seconds[n / 2]);
    }

    double min() {
        return seconds[0];
    }

    double max() {
        return seconds[seconds.length - 1];
    }
}
