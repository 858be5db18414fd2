package com.example;

import dev.autodiff.KernelInfo;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class CoreOnlyTest {

    @Test
    void gradientMatchesTheClosedForm() {
        float[] w = {0.5f, -1f};
        float[] x = {2f, 3f};
        float[] expected = new float[2];
        for (int i = 0; i < 2; i++) {
            double t = Math.tanh(w[i] * x[i]);
            expected[i] = (float) (x[i] * (1 - t * t));
        }
        assertArrayEquals(expected, Gradients.gradient(Tensor.vector(w), Tensor.vector(x)).toArray(), 1e-6f);
    }

    @Test
    void withoutAutodiffSimdTheScalarKernelsServe() {
        KernelInfo kernels = KernelInfo.active();
        assertFalse(kernels.simd(), kernels.toString());
        assertEquals("scalar", kernels.name());
        assertEquals(32, kernels.vectorBitSize());
    }
}
