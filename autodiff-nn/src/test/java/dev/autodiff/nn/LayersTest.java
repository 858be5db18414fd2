package dev.autodiff.nn;

import dev.autodiff.GradCheck;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer outputs against hand-computed values, gradient checks and train/eval behaviour. */
class LayersTest {

    @Test
    void linearComputesXWTransposedPlusBias() {
        Linear l = new Linear(3, 2, new SplittableRandom(1));
        l.weight().copyFrom(Tensor.of(new float[] {1, 2, 3, -1, 0, 1}, 2, 3));
        l.bias().copyFrom(Tensor.vector(0.5f, -0.5f));
        Tensor y = l.forward(Tensor.matrix(new float[][] {{1, 1, 1}, {2, 0, -1}}));
        assertArrayEquals(new float[] {6.5f, -0.5f, -0.5f, -3.5f}, y.toArray());
        assertArrayEquals(new int[] {2, 2}, y.shape());
    }

    @Test
    void linearInitialisesLikePyTorchFromTheSeed() {
        Linear l = new Linear(64, 100, new SplittableRandom(7));
        double bound = 1 / Math.sqrt(64);
        double sumSquares = 0;
        for (float w : l.weight().toArray()) {
            assertTrue(Math.abs(w) <= bound, "weight " + w + " outside ±" + bound);
            sumSquares += w * w;
        }
        // U(-b, b) has variance b²/3; 6400 samples give about 2% relative spread.
        assertEquals(bound * bound / 3, sumSquares / 6400, 0.08 * bound * bound / 3);
        for (float b : l.bias().toArray()) {
            assertTrue(Math.abs(b) <= bound);
        }
        assertArrayEquals(l.weight().toArray(), new Linear(64, 100, new SplittableRandom(7)).weight().toArray());
    }

    @Test
    void activationsComputeTheirFormulas() {
        Tensor x = Tensor.vector(-2f, -0.5f, 0f, 1.5f);
        assertArrayEquals(new float[] {0, 0, 0, 1.5f}, new ReLU().forward(x).toArray());
        assertArrayEquals(new float[] {-0.02f, -0.005f, 0, 1.5f}, new LeakyReLU().forward(x).toArray(), 1e-7f);
        assertArrayEquals(new float[] {-0.4f, -0.1f, 0, 1.5f}, new LeakyReLU(0.2f).forward(x).toArray(), 1e-7f);
        for (int i = 0; i < 4; i++) {
            double v = x.get(i);
            double sigmoid = 1 / (1 + Math.exp(-v));
            assertEquals(sigmoid, new Sigmoid().forward(x).get(i), 1e-6);
            assertEquals(Math.tanh(v), new Tanh().forward(x).get(i), 1e-6);
            assertEquals(v * sigmoid, new SiLU().forward(x).get(i), 1e-6);
        }
        // GELU(x) = x·Φ(x): Φ(1.5) = 0.9331928, Φ(-0.5) = 0.3085375.
        assertEquals(1.5 * 0.9331928, new GELU().forward(x).get(3), 1e-6);
        assertEquals(-0.5 * 0.3085375, new GELU().forward(x).get(1), 1e-6);
    }

    @Test
    void softmaxModulesNormaliseAlongTheirAxis() {
        Tensor x = Tensor.matrix(new float[][] {{1, 2}, {3, 5}});
        Tensor columns = new Softmax(0).forward(x);
        double e = Math.exp(2);
        assertEquals(1 / (1 + e), columns.get(0, 0), 1e-6);
        assertEquals(e / (1 + e), columns.get(1, 0), 1e-6);
        Tensor rows = new LogSoftmax(1).forward(x);
        assertEquals(-Math.log(1 + Math.exp(1)), rows.get(0, 0), 1e-6);
        assertEquals(-Math.log(1 + Math.exp(-2)), rows.get(1, 1), 1e-6);
    }

    @Test
    void flattenMergesTheGivenAxes() {
        Tensor x = Tensor.zeros(2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).shape());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(x).shape());
        assertArrayEquals(new int[] {120}, new Flatten(0, -1).forward(x).shape());
        assertThrows(IllegalArgumentException.class, () -> new Flatten(2, 1).forward(x));
    }

    // ---------------------------------------------------------------- dropout

    @Test
    void dropoutZeroesAboutPAndScalesTheRestInTraining() {
        Dropout d = new Dropout(0.3f, new SplittableRandom(11));
        Tensor x = Tensor.full(2f, 100, 100);
        float[] y = d.forward(x).toArray();
        int zeros = 0;
        for (float v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(2f / 0.7f, v, 1e-6);
            }
        }
        // Binomial(10000, 0.3): standard deviation 46.
        assertEquals(3000, zeros, 200);
    }

    @Test
    void dropoutIsTheIdentityInEvalAndDeterministicForASeed() {
        Tensor x = Tensor.randn(new SplittableRandom(1), 50);
        Dropout d = new Dropout(0.5f, new SplittableRandom(3));
        d.eval();
        assertSame(x, d.forward(x));
        d.train();
        assertArrayEquals(d.forward(x).toArray(), new Dropout(0.5f, new SplittableRandom(3)).forward(x).toArray());
        assertArrayEquals(new float[50], new Dropout(1f, new SplittableRandom(3)).forward(x).toArray(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5f, new SplittableRandom(3)));
    }

    @Test
    void dropoutGradientFollowsTheMask() {
        Tensor x = Tensor.ones(40).requiresGrad();
        Tensor y = new Dropout(0.5f, new SplittableRandom(8)).forward(x);
        y.sum().backward();
        assertArrayEquals(y.toArray(), x.grad().toArray());
    }

    // ---------------------------------------------------------------- layer norm

    @Test
    void layerNormNormalisesTheLastAxis() {
        LayerNorm ln = new LayerNorm(4);
        Tensor y = ln.forward(Tensor.matrix(new float[][] {{1, 2, 3, 4}, {-1, -1, 1, 1}}));
        double s = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new float[] {(float) (-1.5 / s), (float) (-0.5 / s), (float) (0.5 / s), (float) (1.5 / s)},
                y.slice(0, 0, 1).toArray(), 1e-6f);
        double s2 = Math.sqrt(1 + 1e-5);
        assertEquals(-1 / s2, y.get(1, 0), 1e-6);
        // The affine transform scales and shifts each normalised position.
        ln.namedParameters().get("weight").writeInPlace(v -> v[0] = 2f);
        ln.namedParameters().get("bias").writeInPlace(v -> v[0] = 0.5f);
        assertEquals(2 * (-1.5 / s) + 0.5, ln.forward(Tensor.vector(1, 2, 3, 4)).get(0), 1e-6);
    }

    @Test
    void layerNormOverTwoAxesPassesGradCheck() {
        LayerNorm ln = new LayerNorm(2, 3);
        ln.namedParameters().get("weight").writeInPlace(v -> v[1] = 1.7f);
        ln.namedParameters().get("bias").writeInPlace(v -> v[2] = -0.3f);
        Tensor x = Tensor.randn(new SplittableRandom(21), 3, 2, 3);
        GradCheck.check(in -> ln.forward(in[0]), x).assertPassed();
        assertThrows(IllegalArgumentException.class, () -> ln.forward(Tensor.zeros(3, 3, 2)));
    }

    @Test
    void layerNormParameterGradientsAreSumsOverTheBatch() {
        LayerNorm ln = new LayerNorm(3);
        Tensor x = Tensor.matrix(new float[][] {{1, 2, 4}, {0, 3, -3}});
        Tensor y = ln.forward(x);
        y.mul(Tensor.vector(1, 2, 3)).sum().backward();
        Tensor normalised = new LayerNorm(3).forward(x);
        for (int j = 0; j < 3; j++) {
            assertEquals((j + 1) * (normalised.get(0, j) + normalised.get(1, j)),
                    ln.namedParameters().get("weight").grad().get(j), 1e-5);
            assertEquals(2 * (j + 1), ln.namedParameters().get("bias").grad().get(j), 1e-6);
        }
    }

    // ---------------------------------------------------------------- batch norm

    @Test
    void batchNormUsesBatchStatisticsAndUpdatesRunningOnes() {
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor x = Tensor.matrix(new float[][] {{1, 10}, {2, 20}, {3, 60}});
        Tensor y = bn.forward(x);
        // Column 0: mean 2, biased variance 2/3, unbiased 1.
        double s = Math.sqrt(2.0 / 3 + 1e-5);
        assertArrayEquals(new float[] {(float) (-1 / s), 0, (float) (1 / s)}, y.slice(1, 0, 1).reshape(-1).toArray(), 1e-5f);
        // Column 1: mean 30, unbiased variance ((20² + 10² + 30²)/2) = 700.
        assertArrayEquals(new float[] {0.2f, 3f}, bn.namedBuffers().get("running_mean").toArray(), 1e-5f);
        assertArrayEquals(new float[] {0.9f + 0.1f, 0.9f + 70f}, bn.namedBuffers().get("running_var").toArray(), 1e-4f);
        assertEquals(1f, bn.namedBuffers().get("num_batches_tracked").item());
        bn.forward(x);
        assertArrayEquals(new float[] {0.2f * 0.9f + 0.2f, 3f * 0.9f + 3f},
                bn.namedBuffers().get("running_mean").toArray(), 1e-5f);
    }

    @Test
    void batchNormUsesRunningStatisticsInEval() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.namedBuffers().get("running_mean").copyFrom(Tensor.vector(1, -2));
        bn.namedBuffers().get("running_var").copyFrom(Tensor.vector(4, 0.25f));
        bn.namedParameters().get("weight").copyFrom(Tensor.vector(3, 1));
        bn.namedParameters().get("bias").copyFrom(Tensor.vector(0, 0.5f));
        bn.eval();
        Tensor y = bn.forward(Tensor.matrix(new float[][] {{5, -1}}));
        assertEquals(3 * 4 / Math.sqrt(4 + 1e-5), y.get(0, 0), 1e-5);
        assertEquals(1 / Math.sqrt(0.25 + 1e-5) + 0.5, y.get(0, 1), 1e-5);
        float[] before = bn.namedBuffers().get("running_mean").toArray();
        bn.forward(Tensor.matrix(new float[][] {{5, -1}, {7, 3}}));
        assertArrayEquals(before, bn.namedBuffers().get("running_mean").toArray(), "eval leaves running stats alone");
    }

    @Test
    void batchNormOnSequencesNormalisesOverBatchAndLength() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor x = Tensor.randn(new SplittableRandom(5), 4, 3, 5).mul(3f).add(1f);
        Tensor y = bn.forward(x);
        for (int c = 0; c < 3; c++) {
            Tensor channel = y.slice(1, c, c + 1);
            assertEquals(0, channel.mean().item(), 1e-5);
            assertEquals(1, channel.square().mean().item(), 1e-3);
        }
        GradCheck.check(in -> bn.forward(in[0]), Tensor.randn(new SplittableRandom(6), 3, 3, 2)).assertPassed();
    }

    @Test
    void batchNormPassesGradCheckAndRejectsSingleValues() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.namedParameters().get("weight").writeInPlace(v -> v[0] = 2f);
        GradCheck.check(in -> bn.forward(in[0]), Tensor.randn(new SplittableRandom(8), 4, 3)).assertPassed();
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(1, 3)));
        assertThrows(IllegalArgumentException.class, () -> bn.forward(Tensor.ones(4, 2)));
    }
}
