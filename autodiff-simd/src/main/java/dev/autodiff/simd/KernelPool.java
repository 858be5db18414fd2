package dev.autodiff.simd;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The threads one {@link SimdKernels} owns: daemon workers that help the calling thread
 * through a list of independent tasks. The caller always takes part, so a pool busy with
 * another caller's work slows a call down but never blocks it, and many threads may call
 * at once. Workers and waiting callers spin for a short while before they park: kernels
 * come in quick succession, and waking a parked thread costs tens of microseconds in a VM.
 * The workers live as long as the JVM, so create one pool and share it.
 */
final class KernelPool {

    /** A piece of work over the index range {@code [from, to)}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    /** How long an idle worker, or a caller waiting for workers, spins before it parks. */
    private static final long SPIN_NANOS = 100_000;

    private final int threads;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();

    KernelPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        for (int w = 1; w < threads; w++) {
            Thread t = new Thread(this::work, "autodiff-simd-" + w);
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

    int threads() {
        return threads;
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into pieces of {@code grain} (the last may be
     * shorter). The cut does not depend on the thread count, so neither does the result.
     */
    void forRange(int n, int grain, RangeTask task) {
        if (n <= grain || threads == 1) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        forEach((n + grain - 1) / grain, i -> task.run(i * grain, Math.min(n, (i + 1) * grain)));
    }

    /** Runs {@code task.accept(i)} for every {@code i < tasks}, on the caller and the workers. */
    void forEach(int tasks, IntConsumer task) {
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
