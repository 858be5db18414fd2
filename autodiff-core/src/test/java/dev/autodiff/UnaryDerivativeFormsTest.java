package dev.autodiff;

import dev.autodiff.kernel.Unary;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code g·op'(x)} is written twice for every unary op: the fused kernel
 * ({@code Kernels.unaryBackward}, used when nothing differentiates the rule further) and
 * the tensor form (used for higher derivatives). They must agree for every op, at every
 * parameter the op takes, on its domain and at 0, where the piecewise ops switch
 * (within 2e-5 relative and 1e-6 absolute: the tensor form rounds after each of its steps).
 */
class UnaryDerivativeFormsTest {
    private static final int N = 101;

    /** Parameters worth checking: the leaky slope, and exponents whole, negative and fractional. */
    private static float[] params(Unary op) {
        return switch (op) {
            case LEAKY_RELU -> new float[] {0.01f, 0.2f};
            case POW -> new float[] {2f, 3f, -1f, 0.5f, 1.7f};
            case ELU -> new float[] {1f, 0.3f};
            default -> new float[] {0f};
        };
    }

    /** Points of the op's domain: positive where it needs them (above -1 for log1p), else both signs; 0 where defined. */
    private static Tensor points(Unary op, float param, SplittableRandom rng) {
        boolean positive = op == Unary.LOG || op == Unary.SQRT || op == Unary.RSQRT
                || (op == Unary.POW && param != Math.rint(param));
        float low = op == Unary.LOG1P ? -0.9f : -4f;
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = positive ? 0.1f + 3f * rng.nextFloat() : low + (4f - low) * rng.nextFloat();
        }
        if (!positive && param >= 0) {
            x[0] = 0f;
            x[1] = -0f;
        }
        return Tensor.of(x, N);
    }

    @ParameterizedTest
    @EnumSource(Unary.class)
    void fusedKernelAndTensorFormAgree(Unary op) {
        SplittableRandom rng = new SplittableRandom(op.ordinal());
        for (float param : params(op)) {
            Tensor x = points(op, param, rng);
            Tensor y = Elementwise.unary(op, param, x);
            Tensor g = Tensor.randn(rng, N);
            assertFalse(Trace.differentiating(g, x, y));
            Tensor fused = Elementwise.timesDerivative(op, param, g, x, y);
            Tensor traced = g.detach().requiresGrad();
            assertTrue(Trace.differentiating(traced, x, y));
            Tensor tensorForm = Elementwise.timesDerivative(op, param, traced, x, y);
            assertFalse(tensorForm.isLeaf(), "the tensor form is built from recorded operations");
            for (int i = 0; i < N; i++) {
                float expected = tensorForm.data()[i];
                assertEquals(expected, fused.data()[i], 2e-5f * Math.abs(expected) + 1e-6f,
                        op + " param " + param + " at x = " + x.data()[i] + ", g = " + g.data()[i]);
            }
        }
    }
}
