package dev.autodiff;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-place updates of a tensor, against their formulas worked by hand. */
class InPlaceTest {
    private static Tensor y() {
        return Tensor.vector(1f, -2f, 4f, Float.POSITIVE_INFINITY);
    }

    private static final Tensor X = Tensor.vector(2f, 3f, -1f, 0.5f);

    @Test
    void eachUpdateWritesItsFormulaAndReturnsThis() {
        Tensor y = y();
        assertSame(y, y.copyFrom(X));
        assertArrayEquals(X.toArray(), y.toArray());

        y = y();
        assertSame(y, y.mulInPlace(-0.5f));
        assertArrayEquals(new float[] {-0.5f, 1f, -2f, Float.NEGATIVE_INFINITY}, y.toArray());

        y = y();
        assertSame(y, y.addInPlace(X, 2f));
        assertArrayEquals(new float[] {5f, 4f, 2f, Float.POSITIVE_INFINITY}, y.toArray());

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        assertSame(y, y.mulAddInPlace(0.5f, X, 3f)); // 0.5·y + 3·x
        assertArrayEquals(new float[] {6.5f, 8f, -1f, 5.5f}, y.toArray());

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        Tensor buffer = Tensor.vector(2f, 0f, -4f, 1f);
        assertSame(y, y.momentumStepInPlace(buffer, 0.5f, X, 2f, -0.25f)); // b = 0.5·b + 2·x; y - b/4
        assertArrayEquals(new float[] {5f, 6f, -4f, 1.5f}, buffer.toArray());
        assertArrayEquals(new float[] {-0.25f, -3.5f, 5f, 7.625f}, y.toArray());

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        buffer = Tensor.vector(2f, 0f, -4f, 1f);
        // d = x + y/2; b = b/2 + 2·d; y - b/4
        assertSame(y, y.momentumStepInPlace(buffer, 0.5f, X, 0.5f, 2f, -0.25f));
        assertArrayEquals(new float[] {6f, 4f, 0f, 9.5f}, buffer.toArray());
        assertArrayEquals(new float[] {-0.5f, -3f, 4f, 5.625f}, y.toArray());

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        buffer = Tensor.vector(2f, 0f, -4f, 1f);
        // d = x + y/2; b = b/2 + d; y - (d + b/2)/4
        assertSame(y, y.nesterovStepInPlace(buffer, 0.5f, X, 0.5f, -0.25f));
        assertArrayEquals(new float[] {3.5f, 2f, -1f, 5f}, buffer.toArray());
        assertArrayEquals(new float[] {1f - 4.25f / 4f, -2f - 0.75f, 4f - 0.125f, 8f - 1.75f}, y.toArray());

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        Tensor sumSq = Tensor.vector(6f, 13.5f, 7.5f, 0f);
        assertSame(y, y.rmsStepInPlace(sumSq, 0.5f, X, 0.25f, -2f, 1f)); // s = s/2 + x²/4; y - 2·x/(√s + 1)
        assertArrayEquals(new float[] {4f, 9f, 4f, 0.0625f}, sumSq.toArray());
        assertArrayEquals(new float[] {1f - 4f / 3f, -2f - 6f / 4f, 4f + 2f / 3f, 8f - 1f / 1.25f}, y.toArray(), 1e-6f);

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        sumSq = Tensor.vector(4.875f, 16f, 7.5f, 2.375f);
        // d = x + y/2; s = s/2 + d²/4; y - 2·d/(√s + 1)
        assertSame(y, y.rmsStepInPlace(sumSq, 0.5f, X, 0.5f, 0.25f, -2f, 1f));
        assertArrayEquals(new float[] {4f, 9f, 4f, 6.25f}, sumSq.toArray());
        assertArrayEquals(new float[] {1f - 5f / 3f, -3f, 4f - 2f / 3f, 8f - 9f / 3.5f}, y.toArray(), 1e-6f);

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        Tensor expAvg = Tensor.vector(2f, 0f, -4f, 1f);
        Tensor expAvgSq = Tensor.vector(6f, 13.5f, 7.5f, 0f);
        // p/2; m = m/2 + 2·x; v = v/2 + x²/4; p - m/(√v + 1)
        assertSame(y, y.adamStepInPlace(expAvg, expAvgSq, X, new AdamStep(0f, 0.5f, 0.5f, 2f, 0.5f, 0.25f, -1f, 1f)));
        assertArrayEquals(new float[] {5f, 6f, -4f, 1.5f}, expAvg.toArray());
        assertArrayEquals(new float[] {4f, 9f, 4f, 0.0625f}, expAvgSq.toArray());
        assertArrayEquals(new float[] {0.5f - 5f / 3f, -1f - 1.5f, 2f + 4f / 3f, 4f - 1.2f}, y.toArray(), 1e-6f);

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        expAvg = Tensor.vector(2f, 0f, -4f, 1f);
        expAvgSq = Tensor.vector(4.875f, 16f, 7.5f, 2.375f);
        // d = x + y/2; m = m/2 + 2·d; v = v/2 + d²/4; p - m/(√v + 1)
        assertSame(y, y.adamStepInPlace(expAvg, expAvgSq, X, new AdamStep(0.5f, 1f, 0.5f, 2f, 0.5f, 0.25f, -1f, 1f)));
        assertArrayEquals(new float[] {6f, 4f, 0f, 9.5f}, expAvg.toArray());
        assertArrayEquals(new float[] {4f, 9f, 4f, 6.25f}, expAvgSq.toArray());
        assertArrayEquals(new float[] {-1f, -3f, 4f, 8f - 9.5f / 3.5f}, y.toArray(), 1e-6f);

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        assertSame(y, y.mulAddSquareInPlace(2f, X, 0.25f)); // 2·y + x²/4
        assertArrayEquals(new float[] {3f, -1.75f, 8.25f, 16.0625f}, y.toArray());

        y = y().copyFrom(Tensor.vector(1f, -2f, 4f, 8f));
        Tensor den = Tensor.vector(4f, 9f, 16f, 0f);
        assertSame(y, y.addRatioInPlace(2f, X, den, 1f)); // y + 2·x / (√den + 1)
        assertArrayEquals(new float[] {1f + 4f / 3f, -2f + 6f / 4f, 4f - 2f / 5f, 9f}, y.toArray(), 1e-6f);

        y = y();
        assertSame(y, y.maximumInPlace(X));
        assertArrayEquals(new float[] {2f, 3f, 4f, Float.POSITIVE_INFINITY}, y.toArray());

        y = y();
        assertSame(y, y.clampInPlace(-1f, 3f));
        assertArrayEquals(new float[] {1f, -1f, 3f, 3f}, y.toArray());

        assertEquals(4 + 9 + 1 + 0.25, X.sumOfSquares(), 0);
    }

    /** {@code count} vectors of 1001 standard normal values, seeded. */
    private static Tensor[] randn(long seed, int count) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] t = new Tensor[count];
        for (int i = 0; i < count; i++) {
            t[i] = Tensor.randn(rng, 1001);
        }
        return t;
    }

    /** The same values in an array of their own. */
    private static Tensor copy(Tensor t) {
        return t.detach().mul(1f);
    }

    /** One pass gives the bits of the four updates it stands for, and of the decayed gradient's copy before them. */
    @Test
    void theAdamStepIsItsUpdatesInOnePass() {
        for (float decay : new float[] {0f, 1e-2f}) {
            Tensor[] t = randn(3, 4);
            Tensor grad = t[0];
            Tensor param = t[1];
            Tensor expAvg = t[2];
            Tensor expAvgSq = t[3].square();
            AdamStep step = new AdamStep(decay, 0.9999f, 0.9f, 0.1f, 0.999f, 0.001f, -0.00123f, 3e-8f);
            Tensor p = copy(param);
            Tensor m = copy(expAvg);
            Tensor v = copy(expAvgSq);
            Tensor d = decay == 0 ? grad : copy(grad).addInPlace(p, decay);
            p.mulInPlace(step.shrink());
            m.mulAddInPlace(step.beta1(), d, step.gradScale1());
            v.mulAddSquareInPlace(step.beta2(), d, step.gradScale2());
            p.addRatioInPlace(step.rate(), m, v, step.eps());

            param.adamStepInPlace(expAvg, expAvgSq, grad, step);
            assertArrayEquals(m.toArray(), expAvg.toArray(), "decay " + decay);
            assertArrayEquals(v.toArray(), expAvgSq.toArray(), "decay " + decay);
            assertArrayEquals(p.toArray(), param.toArray(), "decay " + decay);
        }
    }

    /** With weight decay, one pass gives the bits of the decayed gradient's copy and the momentum step on it. */
    @Test
    void theMomentumStepWithWeightDecayIsItsUpdatesInOnePass() {
        Tensor[] t = randn(5, 3);
        Tensor grad = t[0];
        Tensor param = t[1];
        Tensor buffer = t[2];
        Tensor p = copy(param);
        Tensor b = copy(buffer);
        Tensor d = copy(grad).addInPlace(p, 5e-4f);
        p.momentumStepInPlace(b, 0.9f, d, 0.75f, -0.0123f);

        param.momentumStepInPlace(buffer, 0.9f, grad, 5e-4f, 0.75f, -0.0123f);
        assertArrayEquals(b.toArray(), buffer.toArray());
        assertArrayEquals(p.toArray(), param.toArray());
    }

    /** One pass gives the bits of the gradient's copy, with weight decay or not, and the three updates on it. */
    @Test
    void theNesterovStepIsItsUpdatesInOnePass() {
        for (float decay : new float[] {0f, 5e-4f}) {
            Tensor[] t = randn(6, 3);
            Tensor grad = t[0];
            Tensor param = t[1];
            Tensor buffer = t[2];
            Tensor p = copy(param);
            Tensor b = copy(buffer);
            Tensor d = decay == 0 ? copy(grad) : copy(grad).addInPlace(p, decay);
            b.mulAddInPlace(0.9f, d, 1f);
            d.addInPlace(b, 0.9f);
            p.addInPlace(d, -0.0123f);

            param.nesterovStepInPlace(buffer, 0.9f, grad, decay, -0.0123f);
            assertArrayEquals(b.toArray(), buffer.toArray(), "decay " + decay);
            assertArrayEquals(p.toArray(), param.toArray(), "decay " + decay);
        }
    }

    /** One pass gives the bits of the two updates it stands for, and of the decayed gradient's copy before them. */
    @Test
    void theRmsStepIsItsUpdatesInOnePass() {
        for (float decay : new float[] {0f, 1e-2f}) {
            Tensor[] t = randn(4, 3);
            Tensor grad = t[0];
            Tensor param = t[1];
            Tensor sumSq = t[2].square();
            Tensor p = copy(param);
            Tensor s = copy(sumSq);
            Tensor d = decay == 0 ? grad : copy(grad).addInPlace(p, decay);
            s.mulAddSquareInPlace(0.99f, d, 0.01f);
            p.addRatioInPlace(-0.0031f, d, s, 1e-8f);

            param.rmsStepInPlace(sumSq, 0.99f, grad, decay, 0.01f, -0.0031f, 1e-8f);
            assertArrayEquals(s.toArray(), sumSq.toArray(), "decay " + decay);
            assertArrayEquals(p.toArray(), param.toArray(), "decay " + decay);
        }
    }

    @Test
    void anUpdateChangesEveryTensorThatSharesTheArray() {
        Tensor m = Tensor.zeros(2, 2);
        Tensor flat = m.reshape(4);
        flat.addInPlace(Tensor.vector(1f, 2f, 3f, 4f), 1f);
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, m.toArray());
    }

    @Test
    void updatesAreNotRecorded() {
        Tensor w = Tensor.vector(1f, 2f).requiresGrad();
        w.addInPlace(Tensor.vector(1f, 1f), -0.5f);
        assertTrue(w.isLeaf());
        assertArrayEquals(new float[] {0.5f, 1.5f}, w.toArray());
    }

    @Test
    void operandsOfAnotherShapeAreRefusedByName() {
        Tensor y = Tensor.zeros(2, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> y.mulAddInPlace(1f, Tensor.zeros(4), 1f));
        assertEquals("mulAddInPlace: operand of shape [4] for a tensor of shape [2, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> y.copyFrom(Tensor.zeros(2, 1)));
        assertEquals("copyFrom: operand of shape [2, 1] for a tensor of shape [2, 2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.addRatioInPlace(1f, y, Tensor.zeros(2), 0f));
        e = assertThrows(IllegalArgumentException.class,
                () -> y.adamStepInPlace(y, Tensor.zeros(4), y, new AdamStep(0f, 1f, 0.9f, 0.1f, 0.999f, 0.001f, -1f, 1f)));
        assertEquals("adamStepInPlace: operand of shape [4] for a tensor of shape [2, 2]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> y.clampInPlace(1f, -1f));
    }
}
