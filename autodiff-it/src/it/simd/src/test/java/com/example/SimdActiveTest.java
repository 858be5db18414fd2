package com.example;

import dev.autodiff.KernelInfo;
import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fails unless Surefire's JVM runs the Vector API kernels. */
class SimdActiveTest {

    @Test
    void theSimdKernelsServe() {
        KernelInfo kernels = KernelInfo.active();
        assertTrue(kernels.simd(), "expected the SIMD kernels, got " + kernels);
        assertTrue(kernels.vectorBitSize() >= 128, kernels.toString());
    }

    @Test
    void aMatrixProductOnThemMatchesPlainJava() {
        var rng = new SplittableRandom(3);
        int m = 37, k = 53, n = 29; // odd sizes: vector loops and their scalar tails
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextDouble(-1, 1);
        }
        float[] c = Tensor.of(a, m, k).matmul(Tensor.of(b, k, n)).toArray();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += (double) a[i * k + p] * b[p * n + j];
                }
                assertEquals(sum, c[i * n + j], 1e-4, "C[" + i + "][" + j + "]");
            }
        }
    }
}
