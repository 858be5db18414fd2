package dev.autodiff.examples.bench;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.ScalarKernels;
import org.openjdk.jmh.annotations.Param;

/** A benchmark of kernels, run on each of the kernels it names: {@code scalar} (one thread), {@code simd-1}, {@code simd-2}. */
public abstract class KernelBenchmark extends ForkedBenchmark {

    /** The kernels to run: {@code scalar}, or {@code simd-} and a thread count. */
    @Param({"simd-1", "simd-2", "scalar"})
    public String kernels;

    /**
     * The kernels {@link #kernels} names, after checking that this (forked) JVM discovered the
     * SIMD kernels, so that a missing {@code --add-modules} of the vector module cannot go unnoticed.
     */
    protected Kernels named() {
        KernelInfo active = KernelInfo.active();
        if (!active.simd()) {
            throw new IllegalStateException("SIMD kernels are not active in this JVM: " + active);
        }
        if (kernels.equals("scalar")) {
            return new ScalarKernels(new KernelPool(1));
        }
        if (!kernels.startsWith("simd-")) {
            throw new IllegalArgumentException("unknown kernels " + kernels);
        }
        int threads = Integer.parseInt(kernels.substring("simd-".length()));
        try {
            // SimdKernels is a run-time dependency only: create it by name, with a thread count
            return (Kernels) Class.forName("dev.autodiff.simd.SimdKernels").getConstructor(int.class).newInstance(threads);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code n} standard normal values from a seeded generator. */
    protected static float[] random(int n, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian());
        }
        return x;
    }
}
