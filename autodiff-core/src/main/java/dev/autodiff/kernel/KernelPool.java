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
        run(1 + (n - 1) / grain, context, null, task, n, grain);
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
        job.help(true);
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
                take().help(false);
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
     * One caller's call, reused for the next: the work, a claim word from which threads take
     * its tasks, and the count of claims not yet done. The caller takes tasks from the front,
     * the workers from the back, so that for calls of the same shape each thread mostly runs
     * the same tasks, and works on data that it wrote, or will read, in the calls around:
     * the layer's weights that its update step wrote, the columns of an output that it
     * computed. While the host runs the two processors far apart, every cache line that goes
     * from one to the other costs 400 ns. The claim word carries the call's generation too, so
     * that a worker that comes late, to a job already finished or refilled, claims nothing of a
     * call it has not read.
     */
    private static final class Job {
        private static final VarHandle CLAIM = handle(Job.class, "claim", long.class);
        private static final VarHandle REMAINING = handle(Job.class, "remaining", int.class);
        private static final VarHandle FAILURE = handle(Job.class, "failure", Throwable.class);
        private static final int INDEX_BITS = 20;
        private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;
        private static final int GENERATION_SHIFT = 2 * INDEX_BITS;
        private static final long GENERATION_MASK = (1L << (64 - GENERATION_SHIFT)) - 1;
        /** At most this many claims in a call: more tasks are claimed in runs of consecutive ones. */
        private static final int MAX_CLAIMS = (int) INDEX_MASK;

        private final Thread caller = Thread.currentThread();
        /** Whether a call of the owning thread is under way. */
        private boolean busy;
        private int tasks;
        /** Consecutive tasks per claim: 1 unless the call has more than {@link #MAX_CLAIMS} tasks. */
        private int tasksPerClaim;
        private Object context;
        private ContextTask<Object> each;
        private ContextRangeTask<Object> range;
        private int n;
        private int grain;
        /**
         * The generation in the upper 24 bits, then the front and the back of the claims left,
         * 20 bits each: the caller claims the front one, a worker the one before the back.
         */
        private volatile long claim;
        /** The claims not yet done; each thread subtracts its own once it finds nothing left to claim. */
        private volatile int remaining;
        private volatile Throwable failure;
        private volatile boolean callerParked;

        private static long claimWord(long generation, int front, int back) {
            return generation << GENERATION_SHIFT | (long) front << INDEX_BITS | back;
        }

        /**
         * Fills the job for a new call, as a sequence lock: the claim moves to the new
         * generation with nothing to claim before the work is written, and the write of the
         * claims publishes the work. A late worker may read work of the new call with the claim
         * word of the old one, but its claim then fails.
         */
        @SuppressWarnings("unchecked")
        void start(int tasks, Object context, ContextTask<?> each, ContextRangeTask<?> range, int n, int grain) {
            busy = true;
            long generation = ((claim >>> GENERATION_SHIFT) + 1) & GENERATION_MASK;
            claim = claimWord(generation, 0, 0);
            VarHandle.storeStoreFence();
            this.tasks = tasks;
            this.tasksPerClaim = 1 + (tasks - 1) / MAX_CLAIMS; // tasks >= 2: a call of one runs alone
            this.context = context;
            this.each = (ContextTask<Object>) each;
            this.range = (ContextRangeTask<Object>) range;
            this.n = n;
            this.grain = grain;
            failure = null;
            int claims = 1 + (tasks - 1) / tasksPerClaim;
            remaining = claims;
            claim = claimWord(generation, 0, claims);
        }

        /** Claims and runs tasks of the current call until none is left, from the front or from the back. */
        void help(boolean fromFront) {
            long c = claim;
            // read after the claim, and valid while the claim holds c's generation (see start)
            int count = tasks;
            int perClaim = tasksPerClaim;
            Object x = context;
            ContextTask<Object> e = each;
            ContextRangeTask<Object> r = range;
            int size = n;
            int g = grain;
            VarHandle.acquireFence(); // the reads above come before every later read of the claim
            long generation = c >>> GENERATION_SHIFT;
            int done = 0;
            while ((c >>> GENERATION_SHIFT) == generation) {
                int front = (int) (c >>> INDEX_BITS & INDEX_MASK);
                int back = (int) (c & INDEX_MASK);
                if (front >= back) {
                    break;
                }
                int taken = fromFront ? front : back - 1;
                if (CLAIM.compareAndSet(this, c, fromFront ? c + (1L << INDEX_BITS) : c - 1)) {
                    int first = taken * perClaim;
                    for (int i = first, end = first + Math.min(perClaim, count - first); i < end; i++) {
                        try {
                            runTask(i, x, e, r, size, g);
                        } catch (Throwable t) {
                            FAILURE.compareAndSet(this, null, t);
                        }
                    }
                    done++;
                }
                c = claim;
            }
            if (done > 0 && (int) REMAINING.getAndAdd(this, -done) == done && callerParked) {
                LockSupport.unpark(caller);
            }
        }

        static void runTask(int i, Object x, ContextTask<Object> e, ContextRangeTask<Object> r, int size, int g) {
            if (r != null) {
                int from = i * g;
                r.run(x, from, from + Math.min(g, size - from));
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
