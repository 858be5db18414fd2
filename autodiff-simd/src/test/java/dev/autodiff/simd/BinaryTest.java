package dev.autodiff.simd;

import static dev.autodiff.simd.Floats.assertBitEqual;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;
import dev.autodiff.kernel.Strides;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Broadcast binary ops, broadcast and permute against the scalar reference, bit for bit. */
class BinaryTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final Kernels SIMD = new SimdKernels(2);

    /** Pairs of operand shapes: same shape, scalars, row and column broadcasts, general, empty. */
    private static int[][][] shapePairs() {
        int[][][] pairs = new int[0][][];
        for (int n : Floats.lengths()) {
            pairs = append(pairs, new int[][] {{n}, {n}});
            pairs = append(pairs, new int[][] {{n}, {1}});
            pairs = append(pairs, new int[][] {{1}, {n}});
        }
        return append(pairs,
                new int[][] {{37, 1021}, {1, 1021}},
                new int[][] {{1, 1021}, {37, 1021}},
                new int[][] {{37, 129}, {37, 1}},
                new int[][] {{37, 1}, {1, 129}},
                new int[][] {{3, 1, 5, 7}, {1, 4, 5, 1}},
                new int[][] {{2, 3, 33}, {2, 1, 33}},
                new int[][] {{4099, 3}, {1, 3}},
                new int[][] {{1, 1}, {1, 1}},
                new int[][] {{}, {}},
                new int[][] {{0, 5}, {1, 5}},
                new int[][] {{70000}, {70000}},
                new int[][] {{300, 300}, {300, 1}},
                // rows over two outer axes, split between threads mid-way (a batch of outer products)
                new int[][] {{64, 47, 1}, {64, 1, 33}},
                new int[][] {{5, 1, 3, 1, 9}, {1, 7, 3, 11, 9}});
    }

    private static int[][][] append(int[][][] pairs, int[][]... more) {
        int[][][] all = java.util.Arrays.copyOf(pairs, pairs.length + more.length);
        System.arraycopy(more, 0, all, pairs.length, more.length);
        return all;
    }

    private static int[] outShape(int[] a, int[] b) {
        int[] out = new int[a.length];
        for (int d = 0; d < a.length; d++) {
            out[d] = a[d] == 1 ? b[d] : a[d];
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Binary.class)
    void broadcastOpsMatchReference(Binary op) {
        for (int[][] pair : shapePairs()) {
            int[] out = outShape(pair[0], pair[1]);
            float[] a = Floats.values(Strides.size(pair[0]), 1);
            float[] b = Floats.values(Strides.size(pair[1]), 2);
            if (op == Binary.EQUAL || op == Binary.MAXIMUM) {
                for (int i = 0; i < Math.min(a.length, b.length); i += 3) {
                    b[i] = a[i]; // make ties happen
                }
            }
            int n = Strides.size(out);
            float[] expected = new float[n];
            float[] actual = new float[n];
            SCALAR.binary(op, a, pair[0], b, pair[1], expected, out);
            SIMD.binary(op, a, pair[0], b, pair[1], actual, out);
            assertBitEqual(expected, actual, n, op + " " + java.util.Arrays.deepToString(pair));
        }
    }

    /**
     * Every special value against every other (NaN against numbers, signed zeros against each
     * other, infinities, subnormals), laid out over whole vectors so that the vector loops,
     * not the scalar tails, meet each pair: bit for bit for every op.
     */
    @ParameterizedTest
    @EnumSource(Binary.class)
    void everyPairOfSpecialValuesInVectorLanes(Binary op) {
        float[] special = Floats.SPECIAL;
        int n = special.length * special.length;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < special.length; i++) {
            for (int j = 0; j < special.length; j++) {
                a[i * special.length + j] = special[i];
                b[i * special.length + j] = special[j];
            }
        }
        int[] shape = {n};
        float[] expected = new float[n];
        float[] actual = new float[n];
        SCALAR.binary(op, a, shape, b, shape, expected, shape);
        SIMD.binary(op, a, shape, b, shape, actual, shape);
        assertBitEqual(expected, actual, n, op + " over pairs of special values");
    }

    @Test
    void signedZerosAndNaNInMaxMin() {
        float[] a = {0f, -0f, Float.NaN, 1f, -0f, 0f, 3f, Float.NaN, 2f};
        float[] b = {-0f, 0f, 1f, Float.NaN, -0f, 0f, Float.NaN, 3f, 2f};
        int[] shape = {a.length};
        for (Binary op : new Binary[] {Binary.MAXIMUM, Binary.MINIMUM, Binary.GREATER, Binary.EQUAL}) {
            float[] expected = new float[a.length];
            float[] actual = new float[a.length];
            SCALAR.binary(op, a, shape, b, shape, expected, shape);
            SIMD.binary(op, a, shape, b, shape, actual, shape);
            assertBitEqual(expected, actual, a.length, op.toString());
        }
    }

    @Test
    void broadcastMatchesReference() {
        int[][][] cases = {{{1, 5}, {7, 5}}, {{7, 1}, {7, 5}}, {{1}, {4099}}, {{3, 1, 4}, {3, 5, 4}}, {{2, 3}, {2, 3}}, {{}, {}},
            {{64, 1, 33}, {64, 47, 33}}, {{5, 1, 3, 1}, {5, 7, 3, 11}}};
        for (int[][] c : cases) {
            float[] x = Floats.values(Strides.size(c[0]), 5);
            int n = Strides.size(c[1]);
            float[] expected = new float[n];
            float[] actual = new float[n];
            SCALAR.broadcast(x, c[0], expected, c[1]);
            SIMD.broadcast(x, c[0], actual, c[1]);
            assertBitEqual(expected, actual, n, "broadcast " + java.util.Arrays.deepToString(c));
        }
    }

    @Test
    void permuteMatchesReference() {
        int[][][] cases = {
            {{37, 129}, {1, 0}}, {{2, 3, 4}, {2, 0, 1}}, {{2, 3, 4}, {1, 0, 2}}, {{5}, {0}}, {{}, {}},
            {{3, 1, 4, 2}, {3, 2, 1, 0}}, {{0, 3}, {1, 0}},
        };
        for (int[][] c : cases) {
            float[] x = Floats.values(Strides.size(c[0]), 9);
            int n = Strides.size(c[0]);
            float[] expected = new float[n];
            float[] actual = new float[n];
            SCALAR.permute(x, c[0], c[1], expected);
            SIMD.permute(x, c[0], c[1], actual);
            assertBitEqual(expected, actual, n, "permute " + java.util.Arrays.deepToString(c));
        }
    }
}
