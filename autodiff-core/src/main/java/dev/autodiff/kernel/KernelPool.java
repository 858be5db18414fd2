package dev.autodiff.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
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
 * <p>A call makes no garbage: each calling thread has one job that it fills anew for every
 * call, and hands to idle workers through their mailboxes. A training step makes dozens of
 * calls, and with two threads their bookkeeping would otherwise be most of what the step
 * allocates. Nor need the task: a lambda that captures the call's arguments is a new object
 * per call once it escapes to the workers, so the forms that take a {@code context} pass the
 * arguments in an object the caller reuses, to a task that captures nothing. Such an object
 * must not be refilled while a call that reads it runs, which holds as long as a kernel's
 * tasks call no kernel themselves.
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

    /** A piece of work number {@code index}, on the arguments in {@code context}. */
    @FunctionalInterface
    public interface ContextTask<C> {
        /** Does piece {@code index} of the work. */
        void run(C context, int index);
    }

    /** A piece of work over the index range {@code [from, to)}, on the arguments in {@code context}. */
    @FunctionalInterface
    public interface ContextRangeTask<C> {
        /** Does the work for indices {@code from} (inclusive) to {@code to} (exclusive). */
        void run(C context, int from, int to);
    }

    private static final ContextTask<IntConsumer> EACH = IntConsumer::accept;
    private static final ContextRangeTask<RangeTask> RANGE = RangeTask::run;

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
    private final Worker[] workers;
    private final ThreadLocal<Job> jobs = ThreadLocal.withInitial(Job::new);

    /** A pool of {@code threads} threads, the caller's included: {@code threads - 1} workers. */
    public KernelPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            workers[w] = new Worker();
            Thread t = new Thread(workers[w], "autodiff-kernels-" + (w + 1));
            t.setDaemon(true);
            workers[w].thread = t;
            t.start();
        }
    }

    /** The number of threads, the caller's included. */
    public int threads() {
        return threads;
    }

    /**
     * Whether {@link #forRange} cuts {@code n} indices in pieces of {@code grain} and shares them
     * between threads. When it does not, a caller may run its loop itself, and skip filling a
     * context: a store into a long-lived object costs the garbage collector's write barrier,
     * which the many tiny ops of a graph would pay on every call.
     */
    public boolean splits(int n, int grain) {
        return n > grain && threads > 1;
    }

    /**
     * Runs {@code task} over {@code [0, n)} cut into pieces of {@code grain} (the last may be
     * shorter). The cut does not depend on the thread count, so neither does the result.
     */
    public void forRange(int n, int grain, RangeTask task) {
        forRange(n, grain, task, RANGE);
    }

    /** {@link #forRange(int, int, RangeTask)} with the task's arguments in {@code context}. */
    public <C> void forRange(int n, int grain, C context, ContextRangeTask<? super C> task) {
        if (!splits(n, grain)) {
            if (n > 0) {
                task.run(context, 0, n);
            }
            return;
        }
        run((n + grain - 1) / grain, context, null, task, n, grain);
    }

    /** Runs {@code task.accept(i)} for every {@code i < tasks}, on the caller and the workers. */
    public void forEach(int tasks, IntConsumer task) {
        forEach(tasks, task, EACH);
    }

    /** {@link #forEach(int, IntConsumer)} with the task's arguments in {@code context}. */
    public <C> void forEach(int tasks, C context, ContextTask<? super C> task) {
        if (tasks <= 1 || threads == 1) {
            for (int i = 0; i < tasks; i++) {
                task.run(context, i);
            }
            return;
        }
        run(tasks, context, task, null, 0, 0);
    }

    @SuppressWarnings("unchecked")
    private void run(int tasks, Object context, ContextTask<?> each, ContextRangeTask<?> range, int n, int grain) {
        Job job = jobs.get();
        if (job.busy) {
            // a task of this thread's call calls the pool again: its pieces run here, in order
            for (int i = 0; i < tasks; i++) {
                Job.runTask(i, context, (ContextTask<Object>) each, (ContextRangeTask<Object>) range, n, grain);
            }
            return;
        }
        job.start(tasks, context, each, range, n, grain);
        int helpers = Math.min(threads, tasks) - 1;
        for (int w = 0; w < workers.length && helpers > 0; w++) {
            if (workers[w].offer(job)) {
                helpers--;
            }
        }
        job.help();
        job.finish();
    }

    /** A pool thread: it takes jobs from its mailbox and helps with them. */
    private static final class Worker implements Runnable {
        private static final VarHandle MAILBOX = handle(Worker.class, "mailbox", Job.class);

        private volatile Job mailbox;
        private volatile boolean parked;
        private Thread thread;

        /** Hands {@code job} to this worker if its mailbox is empty; false otherwise. */
        boolean offer(Job job) {
            if (!MAILBOX.compareAndSet(this, null, job)) {
                return false;
            }
            if (parked) {
                LockSupport.unpark(thread);
            }
            return true;
        }

        @Override
        public void run() {
            while (true) {
                take().help();
            }
        }

        private Job take() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (true) {
                Job job = mailbox;
                if (job != null) {
                    mailbox = null; // only callers fill it, and only when empty
                    return job;
                }
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (mailbox == null) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    deadline = System.nanoTime() + SPIN_NANOS;
                }
            }
        }
    }

    /**
     * One caller's call, reused for the next: the work, a counter from which threads claim
     * its tasks, and the count of tasks not yet done. The claim counter carries the call's
     * generation in its upper half, so that a worker that comes late, to a job already
     * finished or refilled, claims nothing of a call it has not read.
     */
    private static final class Job {
        private static final VarHandle CLAIM = handle(Job.class, "claim", long.class);
        private static final VarHandle REMAINING = handle(Job.class, "remaining", int.class);
        private static final VarHandle FAILURE = handle(Job.class, "failure", Throwable.class);
        /** The claim index while a call's work is written: no task can be claimed then. */
        private static final int REFILLING = Integer.MAX_VALUE;

        private final Thread caller = Thread.currentThread();
        /** Whether a call of the owning thread is under way. */
        private boolean busy;
        private int tasks;
        private Object context;
        private ContextTask<Object> each;
        private ContextRangeTask<Object> range;
        private int n;
        private int grain;
        /** The generation in the upper 32 bits, the next task to claim in the lower. */
        private volatile long claim;
        private volatile int remaining;
        private volatile Throwable failure;
        private volatile boolean callerParked;

        /**
         * Fills the job for a new call, as a sequence lock: the claim moves to the new
         * generation with nothing to claim before the work is written, and the write of the
         * claim's first task publishes the work. A late worker may read work of the new call
         * with the claim of the old one (the old call's last task index is then below the new
         * call's count), but its claim then fails.
         */
        @SuppressWarnings("unchecked")
        void start(int tasks, Object context, ContextTask<?> each, ContextRangeTask<?> range, int n, int grain) {
            busy = true;
            long generation = (claim >>> 32) + 1;
            claim = generation << 32 | REFILLING;
            VarHandle.storeStoreFence();
            this.tasks = tasks;
            this.context = context;
            this.each = (ContextTask<Object>) each;
            this.range = (ContextRangeTask<Object>) range;
            this.n = n;
            this.grain = grain;
            failure = null;
            remaining = tasks;
            claim = generation << 32;
        }

        /** Claims and runs tasks of the current call until none is left. */
        void help() {
            long c = claim;
            // read after the claim, and valid while the claim holds c's generation (see start)
            int count = tasks;
            Object x = context;
            ContextTask<Object> e = each;
            ContextRangeTask<Object> r = range;
            int size = n;
            int g = grain;
            VarHandle.acquireFence(); // the reads above come before every later read of the claim
            long generation = c >>> 32;
            while ((c >>> 32) == generation && (int) c < count) {
                if (CLAIM.compareAndSet(this, c, c + 1)) {
                    try {
                        runTask((int) c, x, e, r, size, g);
                    } catch (Throwable t) {
                        FAILURE.compareAndSet(this, null, t);
                    }
                    if ((int) REMAINING.getAndAdd(this, -1) == 1 && callerParked) {
                        LockSupport.unpark(caller);
                    }
                }
                c = claim;
            }
        }

        static void runTask(int i, Object x, ContextTask<Object> e, ContextRangeTask<Object> r, int size, int g) {
            if (r != null) {
                r.run(x, i * g, Math.min(size, (i + 1) * g));
            } else {
                e.run(x, i);
            }
        }

        /** Waits until every task is done, then rethrows the first failure. */
        void finish() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            while (remaining > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            if (remaining > 0) {
                callerParked = true;
                while (remaining > 0) {
                    LockSupport.park(this);
                }
                callerParked = false;
            }
            context = null; // hold no caller's arrays between calls
            each = null;
            range = null;
            busy = false;
            Throwable t = failure;
            failure = null;
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
        }
    }

    private static VarHandle handle(Class<?> owner, String field, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(owner, field, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
