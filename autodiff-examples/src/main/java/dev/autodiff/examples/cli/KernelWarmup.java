package dev.autodiff.examples.cli;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.SGD;

import java.util.SplittableRandom;

/**
 * Trains a throw-away MLP on random data on a background thread while the trainer reads
 * its data set, so that the JIT compiler has compiled the kernels before the first epoch:
 * Vector API code runs far slower until C2 compiles it (docs/performance-kernels.md). It
 * shares nothing with the run but the kernels, which are thread-safe, so results do not
 * depend on it.
 */
final class KernelWarmup implements AutoCloseable {
    private static final int INPUTS = 784;
    private static final int CLASSES = 10;
    /** Enough steps for C2 to compile every kernel a training step uses. */
    private static final int MAX_STEPS = 400;

    /** The share of the heap the warm-up may take; it is skipped for runs too large for that. */
    private static final int HEAP_SHARE = 8;

    private final Thread thread;
    private volatile boolean stopped;
    private volatile Throwable failure;

    private KernelWarmup(int batch, int hidden) {
        thread = Thread.ofPlatform().daemon().name("autodiff-warmup").unstarted(() -> {
            try {
                train(batch, hidden);
            } catch (Throwable e) {
                failure = e;
            }
        });
    }

    /**
     * Starts warming up the kernels with steps of the given batch size and hidden width, or
     * does nothing when that would take more than a small share of the heap: such a run is
     * long enough to warm up by itself, or too large, which the trainer reports.
     */
    static KernelWarmup start(int batch, int hidden) {
        long floats = (long) INPUTS * hidden * 4 + (long) batch * (INPUTS + hidden) * 8;
        KernelWarmup warmup = new KernelWarmup(batch, hidden);
        if (Float.BYTES * floats <= Runtime.getRuntime().maxMemory() / HEAP_SHARE) {
            warmup.thread.start();
        }
        return warmup;
    }

    private void train(int batch, int hidden) {
        SplittableRandom rng = new SplittableRandom(0);
        Sequential model = new Sequential(new Linear(INPUTS, hidden, rng), new ReLU(), new Linear(hidden, CLASSES, rng));
        SGD sgd = new SGD(model.parameters(), 0.01).momentum(0.9);
        Tensor x = Tensor.randn(rng, batch, INPUTS);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = i % CLASSES;
        }
        for (int step = 0; step < MAX_STEPS && !stopped; step++) {
            Tensor loss = Functional.crossEntropy(model.forward(x), labels);
            sgd.zeroGrad();
            loss.backward();
            sgd.step();
        }
    }

    /** Stops the warm-up and waits for its current step to end; a failure of the warm-up is thrown here, on the caller's thread. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(); // returns at once when the warm-up was skipped
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        switch (failure) {
            case null -> { }
            case Error e -> throw e;
            case RuntimeException e -> throw e;
            default -> throw new IllegalStateException("the kernel warm-up failed: " + failure, failure);
        }
    }
}
