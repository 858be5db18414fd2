package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.Unary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Results are bitwise the same for 1, 2 and 7 threads, and calls from many threads at once are safe. */
class ThreadCountTest {
    private static final int[] THREADS = {1, 2, 7};

    private static void sameForEveryThreadCount(String what, Function<Kernels, float[]> run) {
        float[] first = run.apply(new SimdKernels(THREADS[0]));
        for (int t = 1; t < THREADS.length; t++) {
            assertArrayEquals(first, run.apply(new SimdKernels(THREADS[t])), what + " with " + THREADS[t] + " threads");
        }
    }

    @Test
    void gemmIsIndependentOfThreadCount() {
        int[][] shapes = {{256, 300, 700}, {8, 1000, 300}, {130, 10, 256}, {600, 64, 50}, {64, 257, 784}, {200, 10, 784}};
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
