package dev.autodiff.examples.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

import java.util.function.Consumer;

/**
 * A progress bar for one epoch on stderr, showing the batches done and the last loss;
 * a no-op when disabled (with {@code --quiet}, {@code --json}, or when the console is not
 * a terminal, so that logs and pipes get only the epoch lines).
 */
final class ProgressDisplay implements AutoCloseable, Consumer<Double> {
    private final ProgressBar bar;

    private ProgressDisplay(ProgressBar bar) {
        this.bar = bar;
    }

    /** Whether a progress bar can be drawn: the JVM has an interactive console. */
    static boolean terminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    /** A bar for {@code batches} steps titled {@code title}, or a no-op one when {@code enabled} is false. */
    static ProgressDisplay start(boolean enabled, String title, int batches) {
        if (!enabled) {
            return new ProgressDisplay(null);
        }
        return new ProgressDisplay(new ProgressBarBuilder().setTaskName(title).setInitialMax(batches)
                .setUpdateIntervalMillis(200).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .clearDisplayOnFinish().build());
    }

    @Override
    public void accept(Double loss) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(" loss %.4f", loss));
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
