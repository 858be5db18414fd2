package dev.autodiff.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Reduce;
import dev.autodiff.kernel.Unary;
import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Every sum a SIMD kernel reorders follows its documented order bit for bit: each is
 * computed here by a scalar model of that order ({@link #fold} for the lanes, then the
 * tail in sequence) and compared exactly, on odd sizes, with one thread and two. Data mix
 * magnitudes so that a different order changes the result, and a check shows it does.
 */
class SumOrderTest {
    private static final int L = VectorMath.F.length();
    private static final int[] THREADS = {1, 2};

    /** Values spread over six decades with both signs: reordering their sum changes its last bits. */
    private static float[] data(int n, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * Math.pow(10, rnd.nextDouble() * 6 - 3));
        }
        return x;
    }

    /** The lanes added as {@link LaneSums} documents: the upper half onto the lower half, repeatedly. */
    static float fold(float[] lanes) {
        float[] v = lanes.clone();
        for (int n = v.length / 2; n > 0; n /= 2) {
            for (int i = 0; i < n; i++) {
                v[i] = v[i] + v[i + n];
            }
        }
        return v[0];
    }

    static double fold(double[] lanes) {
        double[] v = lanes.clone();
        for (int n = v.length / 2; n > 0; n /= 2) {
            for (int i = 0; i < n; i++) {
                v[i] = v[i] + v[i + n];
            }
        }
        return v[0];
    }

    @Test
    void laneSumsFoldHalves() {
        int orderMattered = 0;
        for (int seed = 0; seed < 200; seed++) {
            float[] f = data(L, seed);
            float sequential = 0;
            for (float v : f) {
                sequential += v;
            }
            orderMattered += Float.compare(sequential, fold(f)) != 0 ? 1 : 0;
            assertEquals(Float.floatToRawIntBits(fold(f)),
                    Float.floatToRawIntBits(LaneSums.sum(FloatVector.fromArray(VectorMath.F, f, 0))), "seed " + seed);
            double[] d = new double[ReductionKernels.D.length()];
            for (int i = 0; i < d.length; i++) {
                d[i] = f[i] * 1e-3 + f[L - 1 - i];
            }
            assertEquals(Double.doubleToRawLongBits(fold(d)),
                    Double.doubleToRawLongBits(LaneSums.sum(DoubleVector.fromArray(ReductionKernels.D, d, 0))), "seed " + seed);
        }
        if (L >= 4) {
            assertNotEquals(0, orderMattered, "the data must be sensitive to the order of the sum");
        }
    }

    /** C[i][j] of the row-dot kernel: per-lane FMA chains, folded, then the tail by FMA, then C. */
    private static float rowDot(float[] a, int ai, float[] b, int bj, int k, float c, boolean accumulate) {
        int whole = k - k % L;
        float[] lanes = new float[L];
        for (int p = 0; p < whole; p++) {
            lanes[p % L] = Math.fma(a[ai + p], b[bj + p], lanes[p % L]);
        }
        float s = fold(lanes);
        for (int p = whole; p < k; p++) {
            s = Math.fma(a[ai + p], b[bj + p], s);
        }
        return s + (accumulate ? c : 0f);
    }

    @Test
    void rowDotProductsFoldTheirLanesThenAddTheTail() {
        // m·n·k above Gemm's tiny limit, m and k inside the unpacked range, n ≤ 12 for A·B; columns past
        // the last whole tile one or two (a column of C at a time) or three (a tile run partly on copies)
        int[][] abt = {{1, 1, 4099}, {3, 5, 331}, {5, 7, 131}, {13, 17, 97}, {4, 4, 257}, {7, 9, 64 + L - 1}, {2, 37, 64 + 2 * L + 1},
            {21, 6, 200}, {64, 10, 256}};
        int[][] ab = {{13, 10, 256}, {33, 3, 127}, {5, 11, 101}, {9, 1, 1021}};
        for (int[][] shapes : new int[][][] {abt, ab}) {
            boolean transB = shapes == abt;
            for (int[] s : shapes) {
                int m = s[0];
                int n = s[1];
                int k = s[2];
                float[] a = data(m * k, m);
                float[] b = data(n * k, k);
                float[] c0 = data(m * n, n);
                for (boolean accumulate : new boolean[] {false, true}) {
                    float[] expected = new float[m * n];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            float[] column = new float[k];
                            for (int p = 0; p < k; p++) {
                                column[p] = transB ? b[j * k + p] : b[p * n + j];
                            }
                            expected[i * n + j] = rowDot(a, i * k, column, 0, k, c0[i * n + j], accumulate);
                        }
                    }
                    for (int threads : THREADS) {
                        float[] c = c0.clone();
                        new SimdKernels(threads).gemm(false, transB, m, n, k, a, b, c, accumulate);
                        Floats.assertBitEqual(expected, c, c.length, (transB ? "A·Bᵀ " : "A·B ") + m + "x" + n + "x" + k
                                + (accumulate ? " accumulate" : "") + ", " + threads + " threads");
                    }
                }
            }
        }
    }

    /** Σ v in double as {@link ReductionKernels#sum} documents. */
    private static double sumModel(double[] v) {
        int whole = v.length - v.length % L;
        int half = L / 2;
        double[] lower = new double[Math.max(1, half)];
        double[] upper = new double[Math.max(1, half)];
        for (int p = 0; p < whole; p += L) {
            for (int i = 0; i < half; i++) {
                lower[i] += v[p + i];
                upper[i] += v[p + half + i];
            }
        }
        double[] both = new double[lower.length];
        for (int i = 0; i < both.length; i++) {
            both[i] = lower[i] + upper[i];
        }
        double s = fold(both);
        for (int p = whole; p < v.length; p++) {
            s += v[p];
        }
        return s;
    }

    private static int[] lengths() {
        return new int[] {0, 1, L - 1, L, L + 1, 2 * L + 3, 127, 1021};
    }

    @Test
    void rowSumsFollowTheDocumentedOrder() {
        int rows = 3;
        for (int len : lengths()) {
            float[] x = data(rows * len, len);
            float[] expected = new float[rows];
            for (int r = 0; r < rows; r++) {
                double[] v = new double[len];
                for (int i = 0; i < len; i++) {
                    v[i] = x[r * len + i];
                }
                expected[r] = (float) sumModel(v);
            }
            for (int threads : THREADS) {
                float[] out = new float[rows];
                new SimdKernels(threads).reduce(Reduce.SUM, x, rows, len, 1, out);
                Floats.assertBitEqual(expected, out, rows, "row sums of " + len + ", " + threads + " threads");
            }
        }
    }

    @Test
    void softmaxSumsItsExponentialsInTheDocumentedOrder() {
        for (int len : lengths()) {
            if (len == 0) {
                continue;
            }
            float[] x = data(len, 7 * len);
            float max = ReductionKernels.max(x, 0, len);
            float[] shifted = new float[len];
            for (int i = 0; i < len; i++) {
                shifted[i] = x[i] - max;
            }
            // the exponentials as the kernel forms them: vector exp on whole vectors, the scalar one on the tail
            float[] e = new float[len];
            new SimdKernels(1).unary(Unary.EXP, 0f, shifted, e, len);
            double[] v = new double[len];
            for (int i = 0; i < len; i++) {
                v[i] = e[i];
            }
            double expected = sumModel(v);
            float[] exps = new float[len];
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(RowOps.expSum(x, 0, len, max, exps)),
                    "exp sum of " + len);
            Floats.assertBitEqual(e, exps, len, "exponentials of " + len);

            float[] softmax = new float[len];
            new SimdKernels(2).softmax(x, 1, len, softmax);
            float inv = (float) (1.0 / expected);
            for (int i = 0; i < len; i++) {
                assertEquals(Float.floatToRawIntBits(e[i] * inv), Float.floatToRawIntBits(softmax[i]), "softmax " + len);
            }
        }
    }

    @Test
    void sumOfSquaresAddsFixedBlocksInOrder() {
        int grain = ElementwiseKernels.GRAIN;
        for (int len : new int[] {0, 1, L - 1, L + 1, 1021, grain - 1, grain + L + 1, 3 * grain + 7}) {
            float[] x = data(len, len);
            double expected = 0;
            for (int from = 0; from < len; from += grain) {
                int to = Math.min(len, from + grain);
                int whole = from + (to - from) / L * L;
                int half = L / 2;
                double[] lower = new double[Math.max(1, half)];
                double[] upper = new double[Math.max(1, half)];
                for (int p = from; p < whole; p += L) {
                    for (int i = 0; i < half; i++) {
                        lower[i] = Math.fma((double) x[p + i], x[p + i], lower[i]);
                        upper[i] = Math.fma((double) x[p + half + i], x[p + half + i], upper[i]);
                    }
                }
                double[] both = new double[lower.length];
                for (int i = 0; i < both.length; i++) {
                    both[i] = lower[i] + upper[i];
                }
                double block = fold(both);
                for (int p = whole; p < to; p++) {
                    block += (double) x[p] * x[p];
                }
                expected += block;
            }
            for (int threads : THREADS) {
                Kernels k = new SimdKernels(threads);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(k.sumOfSquares(x, len)),
                        "sum of squares of " + len + ", " + threads + " threads");
            }
        }
    }

    @Test
    void maxOfARowWithNaNsIsTheReferencesNaN() {
        float first = Float.intBitsToFloat(0x7fc0_0001);
        float last = Float.intBitsToFloat(0xffc0_0002);
        for (int len : new int[] {2 * L + 3, 1021}) {
            float[] x = data(len, len);
            x[1] = first;
            x[len - L - 2] = last;
            float[] out = new float[1];
            new SimdKernels(1).reduce(Reduce.MAX, x, 1, len, 1, out);
            float[] expected = new float[1];
            new dev.autodiff.kernel.ScalarKernels().reduce(Reduce.MAX, x, 1, len, 1, expected);
            assertEquals(Float.floatToRawIntBits(last), Float.floatToRawIntBits(expected[0]), "the reference keeps the last NaN");
            assertEquals(Float.floatToRawIntBits(expected[0]), Float.floatToRawIntBits(out[0]), "max of " + len);
        }
    }
}
