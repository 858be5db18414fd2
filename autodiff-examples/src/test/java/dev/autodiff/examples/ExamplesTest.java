package dev.autodiff.examples;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each example and checks its key numbers against closed forms or known results. */
class ExamplesTest {

    @Test
    void gradOfTanhAtTwo() {
        double t = Math.tanh(2.0);
        assertEquals(1 - t * t, GradOfTanh.gradAt(2f), 1e-6);
        String out = runMain(() -> GradOfTanh.main(new String[0]));
        assertTrue(out.contains("grad(tanh)(2.0) = 0.0706508"), out);
    }

    @Test
    void learnMatrixShrinksTheResidualByPointFourEachStep() {
        LearnMatrix.Result r = LearnMatrix.run(10, 0.1f);
        // r_k = 0.4^k · [0, -1], so the loss is 0.4^(2k); float rounding of W·x limits the relative accuracy.
        for (int k = 0; k <= 10; k++) {
            assertEquals(Math.pow(0.4, 2 * k), r.losses()[k], 1e-2 * Math.pow(0.4, 2 * k));
        }
        // W = ones + 0.2 · Σ 0.4^k · e2·xᵀ: the first row stays ones.
        double c = 0.2 * (1 - Math.pow(0.4, 10)) / 0.6;
        assertArrayEquals(new float[] {1, 1, 1, (float) (1 - c), (float) (1 + c), (float) (1 + c)},
                r.w().toArray(), 1e-5f);
    }

    @Test
    void linearRegressionRecoversTheTrueWeights() {
        LinearRegression.Result r = LinearRegression.run(1, 3);
        assertEquals(2f, r.w()[0], 2e-3);
        assertEquals(-3.4f, r.w()[1], 2e-3);
        assertEquals(4.2f, r.b(), 2e-3);
        // The noise has variance 1e-4: a fitted model cannot do better.
        assertEquals(1e-4, r.loss(), 3e-5);
    }

    @Test
    void softmaxRegressionOnDigitsWithBothLosses() {
        SoftmaxRegression.Result r = SoftmaxRegression.run(0, 20);
        assertTrue(r.squaredLossAccuracy() >= 0.95, "squared loss: " + r.squaredLossAccuracy());
        assertTrue(r.crossEntropyAccuracy() >= 0.95, "cross-entropy: " + r.crossEntropyAccuracy());
    }

    @Test
    void jacobianColumnsAndRowsMatchTheClosedForm() {
        Tensor a = Tensor.matrix(new float[][] {{1, -2, 0.5f, 3}, {0.25f, 1, -1, 2}, {0, 1, 1, -1}});
        Tensor x = Tensor.vector(0.1f, 0.2f, -0.3f, 0.05f);
        Jacobians.Result r = Jacobians.run(a, x);
        assertArrayEquals(new int[] {3, 4}, r.byColumns().shape());
        assertArrayEquals(r.closedForm().toArray(), r.byColumns().toArray(), 1e-6f);
        assertArrayEquals(r.closedForm().toArray(), r.byRows().toArray(), 1e-6f);
        assertEquals(4, r.jvpPasses());
        assertEquals(3, r.vjpPasses());
        // Row 0: A·x = 0.1 - 0.4 - 0.15 + 0.15 = -0.3, so J[0][0] = 1 - tanh²(-0.3).
        double t = Math.tanh(-0.3);
        assertEquals(1 - t * t, r.byRows().get(0, 0), 1e-6);
        String out = runMain(() -> Jacobians.main(new String[0]));
        assertTrue(out.contains("when n < m"), out);
    }

    @Test
    void twoLayerGradientsMatchTheHandDerivedOnes() {
        TwoLayerNetwork.Result r = TwoLayerNetwork.run(7, 32, 20, 16, 5, 1e-2f);
        assertTrue(r.maxDifference() < 1e-5f, "difference " + r.maxDifference());
        // Not a trivial agreement: the gradients are not zero.
        for (Tensor g : r.byHand()) {
            assertTrue(g.abs().max().item() > 1e-3f);
        }
    }

    @Test
    void customSwishPassesGradientChecksAndTrains() {
        CustomSwish.Result r = CustomSwish.run(0, 15);
        r.vjpCheck().assertPassed();
        r.jvpCheck().assertPassed();
        assertTrue(r.testAccuracy() >= 0.95, "accuracy " + r.testAccuracy());
        Tensor x = Tensor.vector(-3f, -0.5f, 0f, 0.5f, 3f);
        assertArrayEquals(x.silu().toArray(), CustomSwish.SWISH.apply(x).toArray(), 1e-6f);
    }

    @Test
    void spiralsAreSeparatedAndDrawn(@TempDir Path dir) throws IOException {
        Spirals.Points data = Spirals.points(0, 100);
        Spirals.Model model = Spirals.train(data, 0, 2000);
        assertTrue(model.accuracy(data) >= 0.95, "accuracy " + model.accuracy(data));
        assertTrue(model.accuracy(Spirals.points(1, 100)) >= 0.9);

        Path png = dir.resolve("spirals.png");
        runMain(() -> Spirals.main(new String[] {png.toString()}));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(400, image.getWidth());
        assertEquals(400, image.getHeight());
        // The centre of the picture is the origin, where class 0's spiral starts: its points are red.
        BufferedImage small = Spirals.render(model, data, 120);
        int[] counts = new int[3];
        for (int y = 0; y < 120; y++) {
            for (int x = 0; x < 120; x++) {
                int rgb = small.getRGB(x, y) & 0xFFFFFF;
                if (rgb == 0xFFD6D6) counts[0]++;
                if (rgb == 0xD6F0D6) counts[1]++;
                if (rgb == 0xD6DCFF) counts[2]++;
            }
        }
        for (int k = 0; k < 3; k++) {
            assertTrue(counts[k] > 120 * 120 / 6, "class " + k + " covers " + counts[k] + " pixels");
        }
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Runs a main method and returns what it printed. */
    static String runMain(Body body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
