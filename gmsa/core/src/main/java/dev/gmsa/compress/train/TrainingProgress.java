package dev.gmsa.compress.train;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.time.Duration;

/**
 * Progress of a training run on stderr (steps, loss, tokens/s, ETA) through the progressbar library;
 * stdout stays free for key=value lines.
 */
public final class TrainingProgress implements AutoCloseable {
    static final int LINE_WIDTH = 170;
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private long tokens;

    public TrainingProgress(String task, int totalSteps, int alreadyDone) {
        this.bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(totalSteps)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .setUnit(" steps", 1)
                .setSpeedUnit(java.time.temporal.ChronoUnit.SECONDS)
                .setEtaFunction(state -> state.getCurrent() <= alreadyDone ? java.util.Optional.empty()
                        : java.util.Optional.of(Duration.ofNanos((long) ((System.nanoTime() - startNanos)
                        * (double) (state.getMax() - state.getCurrent()) / (state.getCurrent() - alreadyDone)))))
                .continuousUpdate()
                // room for long task names: the loss and tok/s at the end must never be cut off (a consumer we pass in
                // ignores the builder's setMaxRenderedLength, and a pipe would otherwise get 80 columns)
                .setConsumer(System.console() != null && System.console().isTerminal() ? new ConsoleProgressBarConsumer(System.err, LINE_WIDTH)
                        : new DelegatingProgressBarConsumer(new EveryFewSeconds(10), LINE_WIDTH))
                .build();
        bar.stepTo(alreadyDone);
    }

    /** Without a terminal (CI logs, pipes) a redrawn bar would be one line per update: print one every few seconds. */
    private static final class EveryFewSeconds implements java.util.function.Consumer<String> {
        private final long intervalNanos;
        private long last = System.nanoTime();
        private String printed = "";

        EveryFewSeconds(int seconds) {
            this.intervalNanos = seconds * 1_000_000_000L;
        }

        @Override
        public synchronized void accept(String line) {
            long now = System.nanoTime();
            boolean done = line.contains("100%");
            if ((now - last >= intervalNanos || done) && !line.strip().equals(printed)) {
                printed = line.strip();
                System.err.println(printed);
                last = now;
            }
        }
    }

    /** Records one finished step. */
    public void step(float loss, long stepTokens) {
        tokens += stepTokens;
        bar.setExtraMessage(String.format(" loss %.4f  %.0f tok/s", loss, tokensPerSecond()));
        bar.step();
    }

    public double tokensPerSecond() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return seconds > 0 ? tokens / seconds : 0;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    @Override
    public void close() {
        bar.close();
    }
}
