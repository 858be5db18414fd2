package dev.autodiff.bench;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;

/** The kernels a benchmark compares, by name: {@code scalar}, {@code simd-1}, {@code simd-2}. */
final class BenchKernels {
    private BenchKernels() {}

    /**
     * The named kernels, after checking that this (forked) JVM discovered the SIMD kernels,
     * so that a missing {@code --add-modules} of the vector module cannot go unnoticed.
     */
    static Kernels named(String name) {
        KernelInfo active = KernelInfo.active();
        if (!active.simd()) {
            throw new IllegalStateException("SIMD kernels are not active in this JVM: " + active);
        }
        if (name.equals("scalar")) {
            return new ScalarKernels();
        }
        if (!name.startsWith("simd-")) {
            throw new IllegalArgumentException("unknown kernels " + name);
        }
        int threads = Integer.parseInt(name.substring("simd-".length()));
        try {
            // SimdKernels is a run-time dependency only: create it by name, with a thread count
            return (Kernels) Class.forName("dev.autodiff.simd.SimdKernels").getConstructor(int.class).newInstance(threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static float[] random(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian());
        }
        return x;
    }
}
