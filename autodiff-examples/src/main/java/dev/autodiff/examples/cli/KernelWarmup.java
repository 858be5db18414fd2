package dev.autodiff.examples.cli;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.ByteFeatureDataset;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.optim.Optimizer;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Trains a throw-away MLP on random data on a background thread while the trainer reads
 * its data set, so that the JIT compiler has compiled the kernels before the first epoch:
 * Vector API code runs a hundred times slower until C2 compiles it. It runs the trainer's
 * own epochs on a small data set of random images, with the run's activation, hidden layers
 * and optimizer, but at most {@value #MAX_BATCH} rows of {@value #INPUTS} inputs and
 * {@value #MAX_HIDDEN} units a layer, so that its steps run many times while they are
 * still interpreted, yet take the same paths as the run's (docs/performance-kernels.md). A
 * run long enough to care then waits, in {@link #awaitWarm}, until the kernels are compiled:
 * until the epochs take a steady time while the JIT compiler is idle. It shares nothing with the run but the kernels, which are
 * thread-safe, so results do not depend on it.
 */
final class KernelWarmup implements AutoCloseable {
    private static final int INPUTS = 784;
    private static final int CLASSES = 10;
    // As large as the README's Fashion-MNIST run (batch 128, 256 hidden units), so that the
    // products take its GEMM paths: packed above 64 rows (Gemm.ROW_DOT_MAX_M), split by
    // columns between two threads from 4 panels of 32. With 32 rows and 64 units (before)
    // C2 compiled the packed paths during epoch 1, which ran 1.3-1.5x slower than the rest.
    private static final int MAX_BATCH = 128;
    private static final int MAX_HIDDEN = 256;
    /** Full training batches per warm-up epoch, one measurement of the warm-up's speed. */
    private static final int STEPS = 8;
    /** The kernels are warm after this many epochs in a row within {@link #STEADY} of each other, with no compilation. */
    private static final int STEADY_CHUNKS = 4;
    /** Values per row of {@link #sweep}: some vectors of them. */
    private static final int SWEEP = 256;
    private static final double STEADY = 1.15;

    private final Thread thread;
    private final Object lock = new Object();
    private volatile boolean stopped;
    /** The warm-up ended: the kernels are warm, or it was stopped or failed. */
    private boolean ended;
    private volatile boolean warm;
    private volatile Throwable failure;

    /** A warm-up whose thread runs {@code work}, which returns whether the kernels became warm. */
    private KernelWarmup(Predicate<KernelWarmup> work) {
        thread = Thread.ofPlatform().daemon().name("autodiff-warmup").unstarted(() -> {
            try {
                warm = work.test(this);
            } catch (Throwable e) {
                failure = e;
            } finally {
                synchronized (lock) {
                    ended = true;
                    lock.notifyAll();
                }
            }
        });
    }

    /**
     * Starts warming up the kernels with a model like the run's: its batch size, hidden widths
     * (each capped) and activation, trained by the optimizer {@code optimizer} makes for it. An
     * activation or optimizer the warm-up did not run compiles during the run's first epoch,
     * which then ran at 0.4-0.8 of the speed of the rest (gelu, tanh, silu, Adam).
     */
    static KernelWarmup start(int batch, int[] hidden, Activation activation, Function<Sequential, Optimizer> optimizer) {
        int rows = Math.clamp(batch, 1, MAX_BATCH);
        Architecture model = new Architecture(INPUTS, Arrays.stream(hidden).map(h -> Math.min(h, MAX_HIDDEN)).toArray(),
                activation, CLASSES);
        return startRunning(warmup -> warmup.train(rows, model, optimizer));
    }

    /** Starts a warm-up whose thread runs {@code work} in place of training (tests use it for the hand-offs). */
    static KernelWarmup startRunning(Predicate<KernelWarmup> work) {
        KernelWarmup warmup = new KernelWarmup(work);
        warmup.thread.start();
        return warmup;
    }

    /**
     * Waits until the kernels are warm, or the warm-up failed, or {@code limit} has passed,
     * whichever comes first; returns whether they are warm.
     */
    boolean awaitWarm(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (lock) {
            while (!ended) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return warm;
    }

    /**
     * Trains until the epochs are steady (true) or the warm-up is stopped (false). Each
     * chunk is the first epoch of a new model under the run's own {@link Trainer}, on a new
     * thread, on random bytes shaped like an image data set: full batches, a partial one, and
     * a test pass with a full and a partial evaluation batch. So every path the run takes has
     * run here first, its start included: C2 compiles a branch it has never seen taken as a
     * trap, and the run's first step (a thread's first arena arrays and GEMM buffers, the
     * first gradients and optimizer buffers) or its first test pass (whose 1024 rows take
     * other GEMM paths) then threw away the compiled products, backward pass and optimizer,
     * and the first epochs ran 1.2-1.5x slower.
     */
    private boolean train(int batch, Architecture architecture, Function<Sequential, Optimizer> optimizer) {
        SplittableRandom rng = new SplittableRandom(0);
        ByteFeatureDataset train = randomImages(rng, STEPS * batch + Math.max(1, batch * 3 / 4));
        ByteFeatureDataset test = randomImages(rng, Trainer.EVAL_BATCH + Trainer.EVAL_BATCH * 3 / 4);
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        SteadyState steady = new SteadyState();
        while (!stopped) {
            long compiled = timed ? jit.getTotalCompilationTime() : 0;
            long t0 = System.nanoTime();
            Sequential model = architecture.build(rng.nextLong());
            Trainer trainer = new Trainer(model, optimizer.apply(model), null, train, test, CLASSES, batch, 0);
            // the run waits for close(), so a stop ends the epoch at the next batch, not after it
            if (!runOnNewThread(() -> {
                trainer.epoch(1, loss -> stopIfAsked());
                sweep(architecture.activation());
            })) {
                return false;
            }
            boolean jitIdle = !timed || jit.getTotalCompilationTime() == compiled;
            if (steady.add(System.nanoTime() - t0, jitIdle)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The activation and its derivative over a row of small values and a row up to ±64. The
     * kernels take another path for a vector with a lane far out (beyond 12.5 for gelu), which
     * random images do not reach and the run's data does: C2 compiles a branch it has never
     * seen taken as a trap, and taking it threw away the compiled gelu in the run's first epoch,
     * which ran at 0.7 of the speed of the rest.
     */
    private static void sweep(Activation activation) {
        float[] values = new float[2 * SWEEP];
        for (int i = 0; i < SWEEP; i++) {
            values[i] = (i - SWEEP / 2) / (float) SWEEP;
            values[SWEEP + i] = (i - SWEEP / 2) * 128f / SWEEP;
        }
        Tensor x = Tensor.of(values, 2, SWEEP).requiresGrad();
        activation.module().forward(x).sum().backward();
    }

    /** Ends the warm-up's current epoch when {@link #close} has been called. */
    private void stopIfAsked() {
        if (stopped) {
            throw new Stopped();
        }
    }

    /** Thrown out of a warm-up epoch to end it early; not a failure. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super("the kernel warm-up was stopped", null, false, false);
        }
    }

    /**
     * Runs {@code work} on a new thread, so with none of the thread-local state earlier chunks
     * left, and rethrows its failure; false when interrupted while waiting for it.
     */
    private static boolean runOnNewThread(Runnable work) {
        Throwable[] failure = new Throwable[1];
        Thread thread = Thread.ofPlatform().daemon().name("autodiff-warmup-epoch").start(() -> {
            try {
                work.run();
            } catch (Stopped e) {
                // close() asked for it: no failure
            } catch (RuntimeException | Error e) {
                failure[0] = e;
            }
        });
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        switch (failure[0]) {
            case null -> { }
            case Error e -> throw e;
            default -> throw (RuntimeException) failure[0];
        }
        return true;
    }

    /** {@code n} random images of {@value #INPUTS} bytes, standardized as the run's pixels are. */
    private static ByteFeatureDataset randomImages(SplittableRandom rng, int n) {
        byte[] pixels = new byte[n * INPUTS];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) rng.nextInt(256);
        }
        int[] labels = rng.ints(n, 0, CLASSES).toArray();
        ByteFeatureDataset raw = new ByteFeatureDataset(pixels, new int[] {INPUTS}, labels, Preprocessing.identity());
        return raw.withPreprocessing(raw.standardizedGlobally(1 / 255f));
    }

    /**
     * Whether the chunks of steps have become steady: the last {@value #STEADY_CHUNKS} within
     * {@value #STEADY} of each other, none of them much faster than all before it, and the JIT
     * compiler idle meanwhile. Within each other, not of the fastest chunk so far: one chunk
     * that ran while the host was quick would otherwise hold the bar above the speed the
     * compiled code has once the host slows down, and the kernels would never count as warm.
     */
    static final class SteadyState {
        private final long[] recent = new long[STEADY_CHUNKS];
        private long fastest = Long.MAX_VALUE;
        /** Chunks since the count last started, each with the compiler idle. */
        private int inRow;

        /** Adds the time of one chunk, and whether no compilation ran during it; true once steady. */
        boolean add(long nanos, boolean jitIdle) {
            // a chunk clearly faster than all before means the code is still getting faster: count from it
            boolean faster = nanos * STEADY < fastest;
            fastest = Math.min(fastest, nanos);
            if (!jitIdle) {
                inRow = 0;
                return false;
            }
            inRow = faster ? 1 : inRow + 1;
            recent[(inRow - 1) % STEADY_CHUNKS] = nanos;
            if (inRow < STEADY_CHUNKS) {
                return false;
            }
            long min = Arrays.stream(recent).min().orElseThrow();
            long max = Arrays.stream(recent).max().orElseThrow();
            return max <= STEADY * min;
        }
    }

    /** Stops the warm-up and waits for its current step to end; a failure of the warm-up is thrown here, on the caller's thread. */
    @Override
    public void close() {
        stopped = true;
        try {
            thread.join();
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
