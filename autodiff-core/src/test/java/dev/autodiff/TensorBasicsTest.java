package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Factories, inspection, values of the movement ops, text form and seeded randomness. */
class TensorBasicsTest {

    private static Tensor m23() {
        return Tensor.matrix(new float[][] {{1, 2, 3}, {4, 5, 6}});
    }

    @Test
    void factoriesGiveShapesAndValues() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertEquals(2, t.rank());
        assertEquals(6, t.size());
        assertEquals(2, t.shape(-1));
        assertEquals(3, t.shape(0));
        assertArrayEquals(new float[] {1, 2, 3}, Tensor.vector(1, 2, 3).toArray());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m23().toArray());
        assertArrayEquals(new int[] {2, 3}, m23().shape());
        Tensor s = Tensor.scalar(2.5f);
        assertEquals(0, s.rank());
        assertEquals(2.5f, s.item());
        assertArrayEquals(new float[4], Tensor.zeros(2, 2).toArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toArray());
        assertArrayEquals(new float[] {7, 7}, Tensor.full(7f, 1, 2).toArray());
        assertArrayEquals(new int[] {1, 2}, Tensor.full(7f, 1, 2).shape());
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, Tensor.eye(3).toArray());
        // 65,536² floats is 2^32: more than an array holds, where n·n in int was 0
        IllegalArgumentException tooLarge = assertThrows(IllegalArgumentException.class, () -> Tensor.eye(65_536));
        assertTrue(tooLarge.getMessage().contains("[65536, 65536]"), tooLarge.getMessage());
        tooLarge = assertThrows(IllegalArgumentException.class, () -> Tensor.oneHot(new int[70_000], 40_000));
        assertTrue(tooLarge.getMessage().contains("[70000, 40000]"), tooLarge.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.oneHot(new int[2], -3));
        assertArrayEquals(new float[] {0, 1, 2, 3}, Tensor.arange(4).toArray());
        assertArrayEquals(new float[] {1f, 1.25f, 1.5f, 1.75f}, Tensor.arange(1f, 2f, 0.25f).toArray());
        assertArrayEquals(new float[] {5, 3, 1}, Tensor.arange(5f, 0f, -2f).toArray());
        assertEquals(0, Tensor.arange(3f, 1f, 1f).size());
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, Tensor.oneHot(new int[] {2, 0}, 3).toArray());
        assertArrayEquals(new int[] {2, 3}, Tensor.oneHot(new int[] {2, 0}, 3).shape());
        assertArrayEquals(new float[] {0, 0}, Tensor.vector(3, 4).zerosLike().toArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.vector(3, 4).onesLike().toArray());
    }

    @Test
    void factoriesCopyTheirInputsAndToArrayCopies() {
        float[] values = {1, 2};
        Tensor t = Tensor.of(values, 2);
        values[0] = 9;
        assertEquals(1f, t.get(0));
        t.toArray()[1] = 9;
        assertEquals(2f, t.get(1));
        t.shape()[0] = 5;
        assertArrayEquals(new int[] {2}, t.shape());
        assertThrows(java.nio.ReadOnlyBufferException.class, () -> t.values().put(1, 8f));
        t.writeInPlace(a -> a[1] = 8);
        assertEquals(8f, t.values().get(1), "values() is a view of the values, not a copy");
    }

    @Test
    void itemAndGet() {
        assertEquals(4f, Tensor.full(4f, 1, 1).item());
        Tensor t = m23();
        assertEquals(6f, t.get(1, 2));
        assertEquals(2f, t.get(0, 1));
        assertEquals(3f, Tensor.scalar(3f).get());
    }

    @Test
    void reshapeInfersOneDimension() {
        Tensor t = Tensor.arange(12);
        assertArrayEquals(new int[] {3, 4}, t.reshape(-1, 4).shape());
        assertArrayEquals(new int[] {2, 3, 2}, t.reshape(2, -1, 2).shape());
        assertArrayEquals(new int[] {12}, t.reshape(3, 4).flatten().shape());
        assertArrayEquals(t.toArray(), t.reshape(2, 6).toArray());
        assertArrayEquals(new int[] {}, Tensor.vector(5f).reshape().shape());
        assertArrayEquals(new int[] {2, 1, 3}, m23().unsqueeze(1).shape());
        assertArrayEquals(new int[] {2, 3, 1}, m23().unsqueeze(-1).shape());
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 3).reshape(-1, 3).shape());
    }

    @Test
    void transposeAndPermuteMoveValues() {
        Tensor t = m23().transpose();
        assertArrayEquals(new int[] {3, 2}, t.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, t.toArray());
        assertArrayEquals(new float[] {1, 2}, Tensor.vector(1, 2).transpose().toArray());
        Tensor x = Tensor.arange(24).reshape(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        Tensor swapped = x.transpose(0, 2);
        assertArrayEquals(new int[] {4, 3, 2}, swapped.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(x.get(i, j, k), p.get(k, i, j));
                    assertEquals(x.get(i, j, k), swapped.get(k, j, i));
                }
            }
        }
    }

    @Test
    void broadcastToRepeatsValues() {
        assertArrayEquals(new float[] {1, 2, 3, 1, 2, 3}, Tensor.vector(1, 2, 3).broadcastTo(2, 3).toArray());
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2},
                Tensor.of(new float[] {1, 2}, 2, 1).broadcastTo(2, 3).toArray());
        Tensor s = Tensor.scalar(4f).broadcastTo(2, 2);
        assertArrayEquals(new int[] {2, 2}, s.shape());
        assertArrayEquals(new float[] {4, 4, 4, 4}, s.toArray());
    }

    @Test
    void slicesGatherConcatAndStack() {
        Tensor t = Tensor.arange(12).reshape(4, 3);
        assertArrayEquals(new float[] {3, 4, 5, 6, 7, 8}, t.sliceRows(1, 3).toArray());
        assertArrayEquals(new float[] {1, 2, 4, 5, 7, 8, 10, 11}, t.slice(1, 1, 3).toArray());
        assertArrayEquals(new int[] {0, 3}, t.sliceRows(2, 2).shape());
        assertArrayEquals(new float[] {6, 7, 8, 0, 1, 2, 6, 7, 8}, t.indexSelect(0, new int[] {2, 0, 2}).toArray());
        assertArrayEquals(new int[] {3, 3}, t.indexSelect(0, new int[] {2, 0, 2}).shape());
        assertArrayEquals(new float[] {30, 10}, Tensor.vector(10, 20, 30).indexSelect(0, new int[] {2, 0}).toArray());

        Tensor a = m23();
        Tensor b = Tensor.matrix(new float[][] {{7, 8, 9}});
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, Tensor.concat(0, a, b).toArray());
        assertArrayEquals(new int[] {3, 3}, Tensor.concat(0, a, b).shape());
        Tensor c = Tensor.matrix(new float[][] {{0}, {-1}});
        assertArrayEquals(new float[] {1, 2, 3, 0, 4, 5, 6, -1}, Tensor.concat(-1, a, c).toArray());

        Tensor u = Tensor.vector(1, 2);
        Tensor v = Tensor.vector(3, 4);
        assertArrayEquals(new float[] {1, 2, 3, 4}, Tensor.stack(0, u, v).toArray());
        assertArrayEquals(new int[] {2, 2}, Tensor.stack(0, u, v).shape());
        assertArrayEquals(new float[] {1, 3, 2, 4}, Tensor.stack(1, u, v).toArray());
    }

    @Test
    void factoriesTakeDoubles() {
        Tensor v = Tensor.of(1, 2.5, -3);
        assertArrayEquals(new int[] {3}, v.shape());
        assertArrayEquals(new float[] {1, 2.5f, -3}, v.toArray());
        Tensor m = Tensor.of(new double[] {1, 2}, new double[] {3, 4}, new double[] {5, 6});
        assertArrayEquals(new int[] {3, 2}, m.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, m.toArray());
        assertArrayEquals(m.toArray(), Tensor.matrix(new double[][] {{1, 2}, {3, 4}, {5, 6}}).toArray());
        assertArrayEquals(m.toArray(), Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}}).toArray());
        assertArrayEquals(new int[] {2}, Tensor.of(new double[] {7, 8}).shape(), "one array is a vector");
        assertEquals(0.1f, Tensor.scalar(0.1).item());
        assertArrayEquals(new int[] {0, 0}, Tensor.matrix(new double[0][]).shape());
        assertEquals("Tensor.matrix: row 1 has 1 values, row 0 has 2", org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Tensor.of(new double[] {1, 2}, new double[] {3})).getMessage());
    }

    @Test
    void comparisonsSignAndArgmax() {
        Tensor x = Tensor.vector(-2, 0, 3);
        assertArrayEquals(new float[] {0, 0, 1}, x.gt(0f).toArray());
        assertArrayEquals(new float[] {0, 1, 0}, x.eq(Tensor.scalar(0f)).toArray());
        assertArrayEquals(new float[] {-1, 0, 1}, x.sign().toArray());
        Tensor m = Tensor.matrix(new float[][] {{1, 5, 5}, {7, 0, 2}});
        assertArrayEquals(new int[] {1, 0}, m.argmax(), "first index on ties");
        assertArrayEquals(new float[] {-0.5f, 0.25f, 0.5f},
                Tensor.vector(-3, 0.25f, 9).clamp(-0.5f, 0.5f).toArray());
    }

    @Test
    void clampPassesTheGradientInsideItsBoundsIncluded() {
        Tensor x = Tensor.vector(-3, -0.5f, 0.25f, 0.5f, 9).requiresGrad();
        x.clamp(-0.5f, 0.5f).sum().backward();
        assertArrayEquals(new float[] {0, 1, 1, 1, 0}, x.grad().toArray());
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, 2f},
                Tensor.vector(Float.NEGATIVE_INFINITY, 7f).clamp(Float.NEGATIVE_INFINITY, 2f).toArray());
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> x.clamp(1f, 0f));
        assertEquals("clamp: lower bound 1.0 is above upper bound 0.0", e.getMessage());
    }

    @Test
    void reductionsGiveValues() {
        Tensor t = m23();
        assertEquals(21f, t.sum().item());
        assertArrayEquals(new float[] {5, 7, 9}, t.sum(0).toArray());
        assertArrayEquals(new float[] {6, 15}, t.sum(-1).toArray());
        assertArrayEquals(new int[] {2, 1}, t.sum(new int[] {1}, true).shape());
        assertArrayEquals(new float[] {2, 5}, t.mean(1).toArray());
        assertEquals(6f, t.max().item());
        assertArrayEquals(new float[] {4, 5, 6}, t.max(0).toArray());
        assertArrayEquals(new float[] {2f / 3, 2f / 3}, t.var(new int[] {1}, 0, false).toArray(), 1e-6f);
        assertEquals(35f / 12, t.var(new int[0], 0, false).item(), 1e-6f);
    }

    @Test
    void softmaxFamilyIsStableForLargeLogits() {
        Tensor x = Tensor.vector(1000f, 1001f, 1000f);
        double e = Math.E;
        float[] p = {(float) (1 / (2 + e)), (float) (e / (2 + e)), (float) (1 / (2 + e))};
        assertArrayEquals(p, x.softmax(0).toArray(), 1e-6f);
        assertArrayEquals(p, x.logSoftmax(0).exp().toArray(), 1e-6f);
        assertEquals(1001 + Math.log(1 + 2 / e), x.logSumExp(0, false).item(), 1e-3);
        Tensor logits = Tensor.matrix(new float[][] {{1000f, 0f}, {0f, 0f}});
        float ce = Functional.crossEntropy(logits, new int[] {1, 0}).item();
        assertEquals((1000 + Math.log(2)) / 2, ce, 1e-3);
        // and under differentiation, where the composed path runs
        Tensor g = AD.grad(t -> t.logSumExp(0, false)).apply(x);
        assertArrayEquals(p, g.toArray(), 1e-6f);
    }

    @Test
    void emptyAndRankZeroTensors() {
        assertEquals(0f, Tensor.zeros(0).sum().item());
        assertArrayEquals(new float[3], Tensor.zeros(0, 3).sum(0).toArray());
        assertArrayEquals(new int[] {}, Tensor.scalar(2f).sum(new int[0], true).shape());
        assertEquals(2f, Tensor.scalar(2f).mean().item());
        assertEquals(2f, Tensor.scalar(2f).max().item());
        assertEquals(0f, Tensor.scalar(2f).var(new int[0], 0, false).item());
        assertEquals(0f, AD.grad(Tensor::max).apply(Tensor.scalar(2f)).item() - 1f);

        // A product over an empty inner dimension is zero, and its gradients have the operands' shapes.
        Tensor a = Tensor.zeros(2, 0).requiresGrad();
        Tensor b = Tensor.zeros(0, 3).requiresGrad();
        Tensor c = a.matmul(b);
        assertArrayEquals(new int[] {2, 3}, c.shape());
        assertArrayEquals(new float[6], c.toArray());
        c.sum().backward();
        assertArrayEquals(new int[] {2, 0}, a.grad().shape());
        assertArrayEquals(new int[] {0, 3}, b.grad().shape());
        assertArrayEquals(new int[] {0, 2}, Tensor.zeros(0, 3).matmul(Tensor.ones(3, 2)).shape());
        assertArrayEquals(new int[] {2}, AD.grad(t -> t.mul(t).sum()).apply(Tensor.zeros(0, 2).sum(0)).shape());
    }

    @Test
    void aProductOverOneSharedElementIsTheOuterProductBitForBit() {
        // k = 1 runs as a broadcast multiply, not as a GEMM: in every layout, batched or not,
        // and for a leaf's gradient written in place or accumulated.
        SplittableRandom rng = new SplittableRandom(5);
        Tensor column = Tensor.randn(rng, 2, 3, 1);
        Tensor row = Tensor.randn(rng, 2, 1, 4);
        Tensor expected = column.mul(row);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? column.reshape(2, 1, 3) : column;
                Tensor b = tb ? row.reshape(2, 4, 1) : row;
                assertArrayEquals(expected.toArray(), a.matmul(b, ta, tb).toArray(), "ta=" + ta + " tb=" + tb);
                assertArrayEquals(expected.slice(0, 1, 2).toArray(),
                        a.slice(0, 1, 2).reshape(a.shape(1), a.shape(2)).matmul(
                                b.slice(0, 1, 2).reshape(b.shape(1), b.shape(2)), ta, tb).toArray());
            }
        }
        Tensor w = Tensor.randn(rng, 4, 1).requiresGrad();
        Tensor x = Tensor.randn(rng, 3, 1);
        Tensor g = Tensor.randn(rng, 3, 4);
        x.matmul(w, false, true).mul(g).sum().backward();
        float[] once = g.transpose().matmul(x).toArray();
        assertArrayEquals(once, w.grad().toArray(), 1e-6f);
        x.matmul(w, false, true).mul(g).sum().backward();
        assertArrayEquals(g.transpose().matmul(x).mul(2f).toArray(), w.grad().toArray(), 1e-6f);
    }

    @Test
    void toStringShowsValuesShapeAndOrigin() {
        assertEquals("tensor([1., 2., 3.], shape=[3])", Tensor.vector(1, 2, 3).toString());
        assertEquals("tensor([[1., 0.5000], [-2., 3.2500]], shape=[2, 2])",
                Tensor.matrix(new float[][] {{1, 0.5f}, {-2, 3.25f}}).toString());
        assertEquals("tensor(2.5000, shape=[], requiresGrad)", Tensor.scalar(2.5f).requiresGrad().toString());
        assertEquals("tensor(1.0000e-05, shape=[])", Tensor.scalar(1e-5f).toString());
        assertEquals("tensor([NaN, Infinity], shape=[2])", Tensor.vector(Float.NaN, Float.POSITIVE_INFINITY).toString());
        assertEquals("tensor([], shape=[0])", Tensor.zeros(0).toString());
        Tensor x = Tensor.scalar(1f).requiresGrad();
        assertEquals("tensor(2.7183, shape=[], op=exp)", x.exp().toString());
    }

    @Test
    void toStringElidesLongAxes() {
        assertEquals("tensor([0., 1., 2., ..., 7., 8., 9.], shape=[10])", Tensor.arange(10).toString());
        assertEquals("tensor([0., 1., 2., 3., 4., 5., 6., 7.], shape=[8])", Tensor.arange(8).toString());
        assertEquals("tensor([[0., 1.], [2., 3.], [4., 5.], ..., [14., 15.], [16., 17.], [18., 19.]], shape=[10, 2])",
                Tensor.arange(20).reshape(10, 2).toString());
        String big = Tensor.zeros(1000, 1000).toString();
        assertTrue(big.length() < 400, "a million zeros print in " + big.length() + " characters");
    }

    @Test
    void randomTensorsAreDeterministicForASeed() {
        Tensor a = Tensor.randn(new SplittableRandom(42), 3, 4);
        Tensor b = Tensor.randn(new SplittableRandom(42), 3, 4);
        Tensor c = Tensor.randn(new SplittableRandom(43), 3, 4);
        assertArrayEquals(a.toArray(), b.toArray());
        assertFalse(java.util.Arrays.equals(a.toArray(), c.toArray()));
        Tensor r = Tensor.rand(new SplittableRandom(42), 1000);
        assertArrayEquals(r.toArray(), Tensor.rand(new SplittableRandom(42), 1000).toArray());
        for (float v : r.toArray()) {
            assertTrue(v >= 0f && v < 1f, "rand value " + v);
        }
        Tensor u = Tensor.uniform(new SplittableRandom(1), -2f, 3f, 1000);
        assertTrue(u.max().item() < 3f && u.neg().max().item() <= 2f);
        // 10 000 standard normals from a fixed seed: mean near 0, variance near 1
        Tensor n = Tensor.randn(new SplittableRandom(7), 10_000);
        assertEquals(0.0, n.mean().item(), 0.05);
        assertEquals(1.0, n.var().item(), 0.05);
        assertNotEquals(n.get(0), n.get(1));
    }
}
