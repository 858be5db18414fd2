package dev.autodiff.nn;

import dev.autodiff.GradCheck;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loss values against hand-derived formulas and PyTorch 1.13, their gradients, and stability at extreme inputs. */
class LossesTest {
    static final Tensor LOGITS = Tensor.matrix(new float[][] {{2, 1, 0.1f}, {0.5f, 2.5f, -1}, {-3, 0, 3}});
    static final int[] LABELS = {0, 1, 2};

    @Test
    void regressionLossesAndReductions() {
        Tensor p = Tensor.vector(0.5f, 3f, -2f);
        Tensor t = Tensor.zeros(3);
        assertArrayEquals(new float[] {0.25f, 9f, 4f}, Losses.mse(p, t, Reduction.NONE).toArray());
        assertEquals(13.25f / 3, Losses.mse(p, t).item(), 1e-6);
        assertEquals(5.5f, Losses.l1(p, t, Reduction.SUM).item(), 1e-6);
        assertEquals(5.5f / 3, Losses.l1(p, t).item(), 1e-6);
        // torch.nn.functional.huber_loss(..., delta=1.5, reduction='none') = [0.125, 3.375, 1.875]
        assertArrayEquals(new float[] {0.125f, 3.375f, 1.875f}, Losses.huber(p, t, 1.5f, Reduction.NONE).toArray(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Losses.mse(p, Tensor.zeros(4)));
    }

    @Test
    void regressionLossGradients() {
        Tensor p = Tensor.vector(0.4f, 3f, -2f, 0.9f);
        Tensor t = Tensor.vector(0f, 1f, 0.5f, 1.2f);
        GradCheck.check(in -> Losses.huber(in[0], in[1], 1.5f, Reduction.NONE), p, t).assertPassed();
        GradCheck.check(in -> Losses.mse(in[0], in[1], Reduction.SUM), p, t).assertPassed();
        GradCheck.check(in -> Losses.l1(in[0], in[1], Reduction.MEAN), p, t).assertPassed();
    }

    @Test
    void crossEntropyMatchesPyTorch() {
        assertEquals(0.20705129206180573, Losses.crossEntropy(LOGITS, LABELS).item(), 1e-6);
        // F.cross_entropy(x, y, label_smoothing=0.1, reduction='none')
        assertArrayEquals(new float[] {0.5136966f, 0.3365116f, 0.3509457f},
                Losses.crossEntropy(LOGITS, LABELS, Reduction.NONE, 0.1f).toArray(), 1e-6f);
        assertEquals(0.4003846347332001, Losses.crossEntropy(LOGITS, LABELS, Reduction.MEAN, 0.1f).item(), 1e-6);
        assertEquals(3 * 0.20705129206180573, Losses.crossEntropy(LOGITS, LABELS, Reduction.SUM, 0f).item(), 1e-5);
    }

    @Test
    void nllOfLogSoftmaxIsCrossEntropy() {
        Tensor perRow = Losses.nll(LOGITS.logSoftmax(1), LABELS, Reduction.NONE);
        assertArrayEquals(Losses.crossEntropy(LOGITS, LABELS, Reduction.NONE, 0f).toArray(), perRow.toArray(), 1e-6f);
        assertEquals(-LOGITS.logSoftmax(1).get(2, 2), perRow.get(2), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> Losses.nll(LOGITS, new int[] {0, 1}, Reduction.MEAN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Losses.crossEntropy(LOGITS, new int[] {0, 1, 3}, Reduction.NONE, 0f));
        assertEquals("crossEntropy: label 3 at index 2 is out of range for 3 classes", e.getMessage());
    }

    @Test
    void crossEntropyGradients() {
        GradCheck.check(in -> Losses.crossEntropy(in[0], LABELS, Reduction.SUM, 0.2f), LOGITS).assertPassed();
        GradCheck.check(in -> Losses.crossEntropy(in[0], LABELS), LOGITS).assertPassed();
    }

    @Test
    void crossEntropyIsFiniteForExtremeLogits() {
        Tensor logits = Tensor.matrix(new float[][] {{1e4f, -1e4f, 0}, {-1e4f, 1e4f, 1e4f}}).requiresGrad();
        for (float smoothing : new float[] {0f, 0.1f}) {
            Tensor loss = Losses.crossEntropy(logits, new int[] {1, 2}, Reduction.MEAN, smoothing);
            assertTrue(Float.isFinite(loss.item()), "loss " + loss.item());
            logits.zeroGrad();
            loss.backward();
            for (float g : logits.grad().toArray()) {
                assertTrue(Float.isFinite(g));
            }
        }
        // Row 0 misses by 2e4, row 1 splits evenly between two classes: (2e4 + ln 2) / 2.
        assertEquals((2e4 + Math.log(2)) / 2, Losses.crossEntropy(logits, new int[] {1, 2}).item(), 1e-2);
    }

    @Test
    void binaryCrossEntropyClampsLogsLikePyTorch() {
        Tensor p = Tensor.vector(0.9f, 0.2f, 0f, 1f).requiresGrad();
        Tensor t = Tensor.vector(1f, 0f, 1f, 1f);
        // F.binary_cross_entropy(p, t, reduction='none') = [0.1053605, 0.2231435, 100.0, -0.0]
        Tensor loss = Losses.binaryCrossEntropy(p, t, Reduction.NONE);
        assertArrayEquals(new float[] {0.1053605f, 0.2231435f, 100f, 0f}, loss.toArray(), 1e-5f);
        loss.sum().backward();
        assertEquals(-1 / 0.9, p.grad().get(0), 1e-5);
        assertEquals(1 / 0.8, p.grad().get(1), 1e-5);
        assertEquals(-1e12, p.grad().get(2), 1e6, "(p - y) / max(p(1-p), 1e-12)");
        assertEquals(0, p.grad().get(3), 0);
        assertThrows(IllegalArgumentException.class, () -> Losses.binaryCrossEntropy(Tensor.vector(1.5f), Tensor.vector(1f)));
        GradCheck.check(in -> Losses.binaryCrossEntropy(in[0], in[1], Reduction.SUM),
                Tensor.vector(0.3f, 0.6f, 0.8f), Tensor.vector(0f, 0.5f, 1f)).assertPassed();
    }

    @Test
    void binaryCrossEntropyWithLogitsIsStable() {
        Tensor t = Tensor.vector(1f, 0f, 1f, 1f);
        // F.binary_cross_entropy_with_logits([2, -1, 0, 30], t, reduction='none')
        assertArrayEquals(new float[] {0.126928f, 0.3132617f, 0.6931472f, 0f},
                Losses.binaryCrossEntropyWithLogits(Tensor.vector(2f, -1f, 0f, 30f), t, Reduction.NONE).toArray(), 1e-6f);
        Tensor x = Tensor.vector(1e4f, -1e4f, 1e4f, -1e4f).requiresGrad();
        Tensor y = Tensor.vector(1f, 0f, 0f, 1f);
        Tensor loss = Losses.binaryCrossEntropyWithLogits(x, y, Reduction.NONE);
        assertArrayEquals(new float[] {0f, 0f, 1e4f, 1e4f}, loss.toArray(), 1e-3f);
        loss.sum().backward();
        assertArrayEquals(new float[] {0f, 0f, 1f, -1f}, x.grad().toArray(), 1e-6f);
        // At x = 0 the gradient is sigmoid(0) - y.
        Tensor zero = Tensor.vector(0f).requiresGrad();
        Losses.binaryCrossEntropyWithLogits(zero, Tensor.vector(1f)).backward();
        assertEquals(-0.5f, zero.grad().item(), 1e-7);
        GradCheck.check(in -> Losses.binaryCrossEntropyWithLogits(in[0], in[1], Reduction.MEAN),
                Tensor.randn(new SplittableRandom(3), 6).mul(3f), Tensor.rand(new SplittableRandom(4), 6)).assertPassed();
    }
}
