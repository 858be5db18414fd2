package dev.autodiff.simd;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * The threads one {@link SimdKernels} owns: daemon workers that help the calling thread
 * through a list of independent tasks. The caller always takes part, so a pool busy with
 * another caller's work slows a call down but never blocks it, and many threads may call
 * at once.
 */
final class KernelPool {

    /** A piece of work over the index range {@code [from, to)}. */
    @FunctionalInterface
    interface RangeTask {
        void run(int from, int to);
    }

    private final int threads;
    private final ThreadPoolExecutor workers;

    KernelPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        if (threads == 1) {
            workers = null;
        } else {
            AtomicInteger count = new AtomicInteger();
            workers = new ThreadPoolExecutor(threads - 1, threads - 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "autodiff-simd-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            workers.allowCoreThreadTimeOut(true);
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
        if (n <= grain || workers == null) {
            if (n > 0) {
                task.run(0, n);
            }
            return;
        }
        forEach((n + grain - 1) / grain, i -> task.run(i * grain, Math.min(n, (i + 1) * grain)));
    }

    /** Runs {@code task.accept(i)} for every {@code i < tasks}, on the caller and the workers. */
    void forEach(int tasks, IntConsumer task) {
        if (tasks <= 1 || workers == null) {
            for (int i = 0; i < tasks; i++) {
                task.accept(i);
            }
            return;
        }
        Job job = new Job(tasks, task);
        int helpers = Math.min(threads, tasks) - 1;
        for (int h = 0; h < helpers; h++) {
            workers.execute(job);
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
