package dev.autodiff.kernel;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The threads of the kernels, the scalar ones of this module and the SIMD ones alike:
 * daemon workers that help the calling thread through a list of independent tasks. The
 * caller always takes part, so a pool busy with another caller's work slows a call down but
 * never blocks it, and many threads may call at once. Workers and waiting callers spin for a
 * short while before they park: kernels come in quick succession, and waking a parked
 * thread costs tens of microseconds in a VM. The workers live as long as the JVM, so the
 * kernels share one pool, {@link #shared()}.
 *
 * <p>Kernels split work over their outputs, never over a sum, in pieces that do not depend
 * on the thread count: results are the same bits for any number of threads.
 */
public final class KernelPool {

    /** The system property that sets the thread count of {@link #shared()}; the default is the number of processors. */
    public static final String THREADS_PROPERTY = "autodiff.threads";

    /** A piece of work over the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeTask {
        /** Does the work for indices {@code from} (inclusive) to {@code to} (exclusive). */
        void run(int from, int to);
    }

    private static final class Shared {
        static final KernelPool POOL = new KernelPool(
                Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors()));
    }

    /** The pool of the kernels in use: {@code -Dautodiff.threads} threads, or one per processor, the caller's included. */
    public static KernelPool shared() {
        return Shared.POOL;
    }

    /** How long an idle worker, or a caller waiting for workers, spins before it parks. */
    private static final long SPIN_NANOS = 100_000;

    private final int threads;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    /** A pool of {@code threads} threads, the caller's included: {@code threads - 1} workers. */
    public KernelPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        for (int w = 1; w < threads; w++) {
            Thread t = new Thread(this::work, "autodiff-kernels-" + w);
            t.setDaemon(true);
            t.start();
        }
    }

    private void work() {
        while (true) {
            Runnable job = queue.poll();
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (job == null && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                job = queue.poll();
            }
            try {
                (job != null ? job : queue.take()).run();
            } catch (InterruptedException e) {
                // a worker is never interrupted on purpose; keep serving
            }
        }
    }

    /** The number of threads, the caller's included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into pieces of {@code grain} (the last may be
     * shorter). The cut does not depend on the thread count, so neither does the result.
     */
    public void forRange(int n, int grain, RangeTask task) {
        if (n <= grain || threads == 1) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        forEach((n + grain - 1) / grain, i -> task.run(i * grain, Math.min(n, (i + 1) * grain)));
    }

    /** Runs {@code task.accept(i)} for every {@code i < tasks}, on the caller and the workers. */
    public void forEach(int tasks, IntConsumer task) {
        if (tasks <= 1 || threads == 1) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        Job job = new Job(tasks, task);
        int helpers = Math.min(threads, tasks) - 1;
        for (int h = 0; h < helpers; h++) {
            queue.add(job);
        }
        job.run();
        job.await();
    }

    /** Tasks claimed one at a time from a shared counter by whichever thread is free. */
    private static final class Job implements Runnable {
        private final int tasks;
        private final IntConsumer task;
        private final AtomicInteger next = new AtomicInteger();
        private final CountDownLatch done;
        private final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer task) {
            this.tasks = tasks;
            this.task = task;
            this.done = new CountDownLatch(tasks);
        }

        @Override
        public void run() {
            for (int i = next.getAndIncrement(); i < tasks; i = next.getAndIncrement()) {
                try {
                    task.accept(i);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    done.countDown();
                }
            }
        }

        void await() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (done.getCount() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            Throwable t = failure.get();
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
        }
    }
}
