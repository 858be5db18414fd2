package dev.autodiff.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The pool runs every task of a call exactly once, however many threads call at once and
 * however often one thread calls in a row (its job is reused), the caller's from the front
 * and the workers' from the back; a failure reaches the caller
 * and the next call still works; a task may call the pool again; tasks read the context
 * their call passed, though the caller refills it for the next.
 */
class KernelPoolTest {

    @Test
    void everyTaskRunsOnceInCallAfterCall() {
        KernelPool pool = new KernelPool(3);
        for (int call = 0; call < 2000; call++) {
            int tasks = 1 + call % 37;
            AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
            pool.forEach(tasks, runs::incrementAndGet);
            for (int i = 0; i < tasks; i++) {
                assertEquals(1, runs.get(i), "call " + call + ", task " + i);
            }
        }
    }

    @Test
    void rangesCoverTheIndicesOnceInPiecesOfTheGrain() {
        KernelPool pool = new KernelPool(2);
        int n = 1003;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        List<int[]> pieces = java.util.Collections.synchronizedList(new ArrayList<>());
        pool.forRange(n, 100, (from, to) -> {
            pieces.add(new int[] {from, to});
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
        assertEquals(11, pieces.size());
        for (int[] p : pieces) {
            assertEquals(0, p[0] % 100);
            assertEquals(Math.min(n, p[0] + 100), p[1]);
        }
    }

    /**
     * The caller takes tasks from the front and the workers from the back, so that a thread
     * mostly runs the same tasks from one call of a shape to the next: what the caller ran is
     * a prefix of the tasks (empty when the workers took them all before it came to claim),
     * the rest ran on workers.
     */
    @Test
    void theCallerRunsAPrefixOfTheTasksAndTheWorkersTheRest() {
        KernelPool pool = new KernelPool(3);
        Thread caller = Thread.currentThread();
        for (int call = 0; call < 500; call++) {
            int tasks = 2 + call % 200;
            Thread[] ranOn = new Thread[tasks];
            pool.forEach(tasks, i -> {
                ranOn[i] = Thread.currentThread();
                for (long spin = 0; spin < 200; spin++) {
                    Thread.onSpinWait(); // long enough for the workers to arrive
                }
            });
            int prefix = 0;
            while (prefix < tasks && ranOn[prefix] == caller) {
                prefix++;
            }
            for (int i = prefix; i < tasks; i++) {
                assertNotSame(caller, ranOn[i], "call " + call + ": task " + i + " after the caller's prefix of " + prefix);
            }
        }
    }

    /** A call with more tasks than the claim word can count claims them in runs of consecutive tasks. */
    @Test
    void moreTasksThanClaimsRunEachOnce() {
        KernelPool pool = new KernelPool(2);
        int tasks = 2 * ((1 << 20) - 1) + 7;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        pool.forEach(tasks, runs::incrementAndGet);
        for (int i = 0; i < tasks; i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
        int n = 3_000_001;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        pool.forRange(n, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    /** Ranges up to the largest int are cut without overflow: (n + grain - 1) and (i + 1)·grain would wrap. */
    @Test
    void rangesReachTheLargestInt() {
        KernelPool pool = new KernelPool(2);
        List<int[]> pieces = java.util.Collections.synchronizedList(new ArrayList<>());
        pool.forRange(Integer.MAX_VALUE, 1 << 29, (from, to) -> pieces.add(new int[] {from, to}));
        pieces.sort(java.util.Comparator.comparingInt(p -> p[0]));
        assertEquals(4, pieces.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(i << 29, pieces.get(i)[0]);
            assertEquals(i < 3 ? (i + 1) << 29 : Integer.MAX_VALUE, pieces.get(i)[1]);
        }
    }

    /** A context the caller refills for each call, as the kernels do with theirs. */
    private static final class Target {
        int[] out;
        int value;
    }

    @Test
    void tasksReadTheContextOfTheirOwnCall() {
        KernelPool pool = new KernelPool(3);
        Target[] targets = {new Target(), new Target(), new Target()};
        for (int call = 0; call < 2000; call++) {
            int n = 1 + call % 53;
            Target target = targets[call % 3]; // a stale context would write into another call's array
            target.out = new int[n];
            target.value = call;
            if (call % 2 == 0) {
                pool.forEach(n, target, (t, i) -> t.out[i] += t.value + i);
            } else {
                pool.forRange(n, 4, target, (t, from, to) -> {
                    for (int i = from; i < to; i++) {
                        t.out[i] += t.value + i;
                    }
                });
            }
            for (int i = 0; i < n; i++) {
                assertEquals(call + i, target.out[i], "call " + call + ", index " + i);
            }
        }
    }

    @Test
    void concurrentCallersEachGetAllTheirTasksDone() throws Exception {
        KernelPool pool = new KernelPool(2);
        int callers = 8;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService executor = Executors.newFixedThreadPool(callers);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int seed = c;
                results.add(executor.submit(() -> {
                    start.await();
                    long[] sums = new long[300];
                    for (int call = 0; call < sums.length; call++) {
                        long[] parts = new long[16];
                        int base = seed * 1000 + call;
                        pool.forEach(parts.length, i -> parts[i] = (long) base * (i + 1));
                        for (long p : parts) {
                            sums[call] += p;
                        }
                    }
                    return sums;
                }));
            }
            for (int c = 0; c < callers; c++) {
                long[] sums = results.get(c).get();
                for (int call = 0; call < sums.length; call++) {
                    assertEquals((long) (c * 1000 + call) * 136, sums[call], "caller " + c + ", call " + call);
                }
            }
        } finally {
            executor.shutdown();
        }
    }

    /**
     * A worker may take a job from its mailbox late, after its caller did the call alone and
     * while it refills the job for the next one. Reading the new call's task count with the
     * old call's claim, it once claimed a task past the old call's end and ran it with the
     * half-written work: a NullPointerException, one run in about 25 of the trainer.
     * Callers here outnumber the workers, so jobs wait in mailboxes, and alternate calls of two
     * tasks, which callers often finish alone, with calls of more tasks of the other kind.
     */
    @Test
    void aWorkerThatTakesAJobLateClaimsNothingOfTheNextCall() throws Exception {
        KernelPool pool = new KernelPool(3);
        int callers = 4;
        int calls = 500_000;
        CyclicBarrier start = new CyclicBarrier(callers);
        ExecutorService executor = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                results.add(executor.submit(() -> {
                    start.await();
                    int[] runs = new int[6];
                    int wrong = 0;
                    for (int call = 0; call < calls; call++) {
                        java.util.Arrays.fill(runs, 0);
                        int tasks = call % 2 == 0 ? 2 : runs.length;
                        if (call % 2 == 0) {
                            pool.forEach(tasks, i -> runs[i]++);
                        } else {
                            pool.forRange(tasks, 1, (from, to) -> runs[from]++);
                        }
                        for (int i = 0; i < runs.length; i++) {
                            if (runs[i] != (i < tasks ? 1 : 0)) {
                                wrong++;
                                break;
                            }
                        }
                    }
                    return wrong;
                }));
            }
            for (int c = 0; c < callers; c++) {
                assertEquals(0, results.get(c).get(), "calls of caller " + c + " whose tasks did not run exactly once");
            }
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void aFailureReachesTheCallerAndThePoolGoesOn() {
        KernelPool pool = new KernelPool(2);
        IllegalArgumentException planted = new IllegalArgumentException("planted");
        var e = assertThrows(IllegalArgumentException.class, () -> pool.forEach(8, i -> {
            if (i == 5) {
                throw planted;
            }
        }));
        assertSame(planted, e);
        AtomicIntegerArray runs = new AtomicIntegerArray(8);
        pool.forEach(8, runs::incrementAndGet);
        for (int i = 0; i < 8; i++) {
            assertEquals(1, runs.get(i));
        }
    }

    @Test
    void aTaskMayCallThePoolAgain() {
        KernelPool pool = new KernelPool(2);
        AtomicIntegerArray runs = new AtomicIntegerArray(6 * 5);
        pool.forEach(6, outer -> pool.forEach(5, inner -> runs.incrementAndGet(outer * 5 + inner)));
        for (int i = 0; i < runs.length(); i++) {
            assertEquals(1, runs.get(i), "task " + i);
        }
    }
}
