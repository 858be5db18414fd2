package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.AdamStep;
import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.ScalarKernels;
import dev.autodiff.kernel.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Results of the SIMD kernels and of the scalar ones (which share the pool) are bitwise the
 * same for 1, 2 and 7 threads, and calls from many threads at once are safe.
 */
class ThreadCountTest {
    private static final int[] THREADS = {1, 2, 7};

    /** Both kernel families, each on a pool of the given size. */
    private static final List<IntFunction<Kernels>> FAMILIES = List.of(
            SimdKernels::new, threads -> new ScalarKernels(new KernelPool(threads)));

    private static void sameForEveryThreadCount(String what, Function<Kernels, float[]> run) {
        for (IntFunction<Kernels> family : FAMILIES) {
            Kernels first = family.apply(THREADS[0]);
            float[] expected = run.apply(first);
            for (int t = 1; t < THREADS.length; t++) {
                assertArrayEquals(expected, run.apply(family.apply(THREADS[t])),
                        what + " on the " + first.name() + " kernels with " + THREADS[t] + " threads");
            }
        }
    }

    @Test
    void gemmIsIndependentOfThreadCount() {
        // Shapes big enough for several tasks of either family, small enough for the scalar loops;
        // 64x257x100 gives two threads ranges of B's panels, 4x1060x2100 ranges longer than one packed chunk.
        int[][] shapes = {{130, 10, 256}, {64, 257, 100}, {7, 300, 50}, {200, 10, 784}, {3, 700, 120}, {4, 1060, 2100},
            {1, 300, 256}, {1, 257, 300}}; // one row: columns split from 2^16 multiply-adds
        for (int[] s : shapes) {
            for (int layout = 0; layout < 4; layout++) {
                boolean transA = (layout & 1) != 0;
                boolean transB = (layout & 2) != 0;
                float[] a = Floats.uniform(s[0] * s[2], 1);
                float[] b = Floats.uniform(s[2] * s[1], 2);
                sameForEveryThreadCount("gemm " + java.util.Arrays.toString(s) + " layout " + layout, k -> {
                    float[] c = new float[s[0] * s[1]];
                    k.gemm(transA, transB, s[0], s[1], s[2], a, b, c, false);
                    return c;
                });
            }
        }
    }

    @Test
    void reductionsAndRowOpsAreIndependentOfThreadCount() {
        float[] x = Floats.uniform(300 * 1000, 3);
        sameForEveryThreadCount("row sums", k -> reduce(k, Reduce.SUM, x, 300, 1000, 1));
        sameForEveryThreadCount("column sums", k -> reduce(k, Reduce.SUM, x, 1, 300, 1000));
        sameForEveryThreadCount("middle max", k -> reduce(k, Reduce.MAX, x, 30, 100, 100));
        sameForEveryThreadCount("softmax", k -> {
            float[] out = new float[x.length];
            k.softmax(x, 300, 1000, out);
            return out;
        });
        sameForEveryThreadCount("tanh", k -> {
            float[] out = new float[x.length - 3];
            k.unary(Unary.TANH, 0f, x, out, out.length);
            return out;
        });
        sameForEveryThreadCount("sum of squares", k -> new float[] {(float) k.sumOfSquares(x, x.length)});
        sameForEveryThreadCount("log-softmax", k -> {
            float[] out = new float[x.length];
            k.logSoftmax(x, 3000, 100, out);
            return out;
        });
        int[] labels = new int[3000];
        java.util.Arrays.setAll(labels, i -> i % 100);
        sameForEveryThreadCount("softmax cross-entropy and its backward pass", k -> {
            float[] probs = new float[x.length];
            float[] loss = new float[3000];
            k.softmaxCrossEntropy(x, 3000, 100, labels, probs, loss);
            float[] dLogits = new float[x.length];
            k.softmaxCrossEntropyBackward(probs, 3000, 100, labels, loss, dLogits);
            return dLogits;
        });
        sameForEveryThreadCount("tanh backward", k -> {
            float[] out = new float[x.length];
            k.unaryBackward(Unary.TANH, 0f, x, x, x, out, x.length);
            return out;
        });
    }

    @Test
    void elementwiseMovementAndUpdatesAreIndependentOfThreadCount() {
        float[] a = Floats.uniform(60 * 70 * 80, 4);
        float[] b = Floats.uniform(70 * 1, 5);
        sameForEveryThreadCount("broadcast multiply", k -> {
            float[] out = new float[a.length];
            k.binary(Binary.MUL, a, new int[] {60, 70, 80}, b, new int[] {1, 70, 1}, out, new int[] {60, 70, 80});
            return out;
        });
        sameForEveryThreadCount("same-shape subtract", k -> {
            float[] out = new float[a.length];
            int[] shape = {60, 70, 80};
            k.binary(Binary.SUB, a, shape, Floats.uniform(a.length, 7), shape, out, shape);
            return out;
        });
        sameForEveryThreadCount("broadcast", k -> {
            float[] out = new float[a.length];
            k.broadcast(b, new int[] {1, 70, 1}, out, new int[] {60, 70, 80});
            return out;
        });
        sameForEveryThreadCount("permute", k -> {
            float[] out = new float[a.length];
            k.permute(a, new int[] {60, 70, 80}, new int[] {2, 0, 1}, out);
            return out;
        });
        sameForEveryThreadCount("adaptive steps, momentum, clamp", k -> {
            float[] y = a.clone();
            float[] den = Floats.uniform(a.length, 6);
            for (int i = 0; i < den.length; i++) {
                den[i] = Math.abs(den[i]);
            }
            k.axpby(0.5f, a, 0.9f, y, y.length);
            k.squareAxpby(0.1f, a, 0.99f, y, y.length);
            k.addRatio(-0.01f, a, den, 1e-8f, y, y.length);
            k.momentumStep(0.9f, 0.5f, a, 0f, den, -0.01f, y, y.length);
            k.momentumStep(0.9f, 0.5f, a, 1e-3f, den, -0.01f, y, y.length);
            k.nesterovStep(0.9f, a, 0f, den, -0.01f, y, y.length);
            k.nesterovStep(0.9f, a, 1e-3f, den, -0.01f, y, y.length);
            k.rmsStep(0.99f, 0.01f, a, 0f, den, -0.01f, 1e-8f, y, y.length);
            k.rmsStep(0.99f, 0.01f, a, 0.01f, den, -0.01f, 1e-8f, y, y.length);
            k.adamStep(new AdamStep(0f, 0.99f, 0.9f, 0.1f, 0.999f, 0.001f, -0.01f, 1e-8f), a, den, den.clone(), y, y.length);
            k.adamStep(new AdamStep(0.01f, 1f, 0.9f, 0.1f, 0.999f, 0.001f, -0.01f, 1e-8f), a, den, den.clone(), y, y.length);
            k.maxInPlace(a, y, y.length);
            k.scale(0.5f, y, y.length);
            k.clamp(y, -0.25f, 0.25f, y.length);
            return y;
        });
    }

    private static float[] reduce(Kernels k, Reduce op, float[] x, int outer, int axis, int inner) {
        float[] out = new float[outer * inner];
        k.reduce(op, x, outer, axis, inner, out);
        return out;
    }

    @Test
    void concurrentCallersGetTheirOwnResults() throws Exception {
        Kernels kernels = new SimdKernels(2);
        int m = 64;
        int n = 200;
        int k = 300;
        float[] b = Floats.uniform(k * n, 9);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 24; t++) {
                int seed = t;
                results.add(callers.submit(() -> {
                    float[] a = Floats.uniform(m * k, seed);
                    float[] expected = new float[m * n];
                    new SimdKernels(1).gemm(false, true, m, n, k, a, b, expected, false);
                    float[] actual = new float[m * n];
                    kernels.gemm(false, true, m, n, k, a, b, actual, false);
                    return java.util.Arrays.equals(expected, actual);
                }));
            }
            for (Future<Boolean> r : results) {
                assertEquals(true, r.get());
            }
        } finally {
            callers.shutdown();
        }
    }
}
