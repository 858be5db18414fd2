package dev.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.autodiff.kernel.Kernels;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A weight's layout for one-sample products ({@link OneRowWeight}) is made once for each
 * version of the weight, is never used after a write to it, is not made while the layer is
 * differentiated, and gives every call and every caller thread the same values.
 * Core's suite runs with the scalar kernels, which have no such layout, and again in the
 * SIMD module, whose kernels have one for layers of 256 outputs or more.
 */
class OneRowWeightTest {

    /** The active kernels, but for a packing that counts its calls and holds the weight's first value. */
    private static final class CountingKernels {
        int packs;
        final Kernels kernels = (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(),
                new Class<?>[] {Kernels.class}, (proxy, method, args) -> {
                    if (method.getName().equals("packForOneRow")) {
                        packs++;
                        return new float[] {((float[]) args[2])[0]};
                    }
                    try {
                        return method.invoke(Tensor.kernels(), args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void theLayoutIsMadeOncePerVersion() {
        Tensor w = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        CountingKernels counting = new CountingKernels();
        float[] layout = OneRowWeight.of(w, counting.kernels);
        assertEquals(1f, layout[0]);
        assertSame(layout, OneRowWeight.of(w, counting.kernels), "second call");
        assertEquals(1, counting.packs);

        w.copyFrom(Tensor.of(new float[] {7, 8, 9, 10, 11, 12}, 2, 3));
        assertEquals(7f, OneRowWeight.of(w, counting.kernels)[0], "after a write");
        assertEquals(7f, OneRowWeight.of(w, counting.kernels)[0], "and again");
        assertEquals(2, counting.packs);

        CountingKernels others = new CountingKernels();
        OneRowWeight.of(w, others.kernels);
        assertEquals(1, others.packs, "other kernels make their own");
    }

    private record Layer(Tensor x, Tensor w, Tensor b) {
        /** 300 outputs: on AVX-512, one whole panel of the SIMD layout and part of a second. */
        static Layer of(long seed) {
            var rng = new SplittableRandom(seed);
            return new Layer(Tensor.randn(rng, 1, 784), Tensor.randn(rng, 300, 784).requiresGrad(),
                    Tensor.randn(rng, 300).requiresGrad());
        }

        Tensor forward() {
            return Functional.linearRelu(x, w, b);
        }

        /** relu(x·wᵀ + b) in double, and each sum's bound on its rounding: a few ulps of Σ|terms|. */
        void assertClose(float[] y, String what) {
            float[] xs = x.toArray();
            float[] ws = w.toArray();
            float[] bs = b.toArray();
            for (int j = 0; j < bs.length; j++) {
                double sum = bs[j];
                double magnitude = Math.abs(bs[j]);
                for (int p = 0; p < xs.length; p++) {
                    sum += (double) xs[p] * ws[j * xs.length + p];
                    magnitude += Math.abs((double) xs[p] * ws[j * xs.length + p]);
                }
                assertEquals(Math.max(sum, 0), y[j], 1e-5 * magnitude, what + ", output " + j);
            }
        }
    }

    @Test
    void oneSampleOutputsFollowTheWeight() {
        Layer layer = Layer.of(3);
        try (var scope = NoGrad.enter()) {
            float[] first = layer.forward().toArray();
            assertArrayEquals(first, layer.forward().toArray(), "the same sample, the same bits");
            layer.assertClose(first, "before a write");

            layer.w().copyFrom(layer.w().neg()); // every output moves
            float[] after = layer.forward().toArray();
            layer.assertClose(after, "after a write");
            assertArrayEquals(after, layer.forward().toArray(), "the same bits after a write");
        }
    }

    @Test
    void noLayoutWhileTheLayerIsDifferentiated() {
        Layer layer = Layer.of(5);
        for (int call = 0; call < 3; call++) {
            layer.forward();
        }
        assertNull(layer.w().oneRowLayout);
    }

    @Test
    void callerThreadsSharingAWeightGetTheSameBits() throws Exception {
        Layer layer = Layer.of(7);
        float[] expected;
        try (var scope = NoGrad.enter()) {
            expected = layer.forward().toArray();
        }
        layer.w().copyFrom(layer.w().neg()); // a new version, twice: the threads race to make the layout
        layer.w().copyFrom(layer.w().neg());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<float[]> outputs = new ArrayList<>();
                    try (var scope = NoGrad.enter()) {
                        for (int call = 0; call < 50; call++) {
                            outputs.add(layer.forward().toArray());
                        }
                    }
                    return outputs;
                }));
            }
            for (Future<List<float[]>> result : results) {
                for (float[] y : result.get()) {
                    assertArrayEquals(expected, y);
                }
            }
        } finally {
            pool.shutdown();
        }
    }
}
