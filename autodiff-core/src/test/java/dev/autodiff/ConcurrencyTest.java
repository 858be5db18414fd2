package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differentiation state is per thread: models trained on separate threads at once get
 * exactly the results they get one after the other, and a no-grad scope on one thread
 * neither leaks into another nor disturbs reading shared parameters. A barrier makes the
 * threads take each step together, so that their operations interleave.
 */
class ConcurrencyTest {

    /** The parameters after training and the loss of every step. */
    private record Trained(float[] weight, float[] bias, float[] losses) {}

    /** A few steps of gradient descent on a linear classifier; waits at {@code barrier} before each step when given. */
    private static Trained train(long seed, CyclicBarrier barrier) throws InterruptedException, BrokenBarrierException {
        var rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, 16, 5);
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(3);
        }
        Tensor w = Tensor.randn(rng, 3, 5).mul(0.1f).detach().requiresGrad();
        Tensor b = Tensor.zeros(3).requiresGrad();
        int steps = 12;
        float[] losses = new float[steps];
        for (int step = 0; step < steps; step++) {
            if (barrier != null) {
                barrier.await();
            }
            Tensor hidden = Functional.linear(x, w, b).tanh();
            Tensor loss = Functional.crossEntropy(hidden.mul(3f), labels).add(w.square().sum().mul(1e-3f));
            w.zeroGrad();
            b.zeroGrad();
            loss.backward();
            losses[step] = loss.item();
            // in place, as optimizers update parameters
            w.addInPlace(w.grad(), -0.5f);
            b.addInPlace(b.grad(), -0.5f);
        }
        return new Trained(w.toArray(), b.toArray(), losses);
    }

    @Test
    void twoModelsTrainedAtOnceMatchTrainingOneAfterTheOther() throws Exception {
        Trained first = train(1, null);
        Trained second = train(2, null);
        assertTrue(first.losses()[11] < first.losses()[0], "training must lower the loss");
        assertFalse(java.util.Arrays.equals(first.weight(), second.weight()));

        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Trained> a = pool.submit(() -> train(1, together));
            Future<Trained> b = pool.submit(() -> train(2, together));
            for (var pair : List.of(List.of(first, a.get()), List.of(second, b.get()))) {
                assertArrayEquals(pair.get(0).weight(), pair.get(1).weight());
                assertArrayEquals(pair.get(0).bias(), pair.get(1).bias());
                assertArrayEquals(pair.get(0).losses(), pair.get(1).losses());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void noGradForwardPassesOnSharedParametersFromSeveralThreads() throws Exception {
        var rng = new SplittableRandom(5);
        Tensor w1 = Tensor.randn(rng, 8, 6).requiresGrad();
        Tensor b1 = Tensor.randn(rng, 8).requiresGrad();
        Tensor w2 = Tensor.randn(rng, 3, 8).requiresGrad();
        int threads = 4;
        Tensor[] inputs = new Tensor[threads];
        float[][] expected = new float[threads][];
        try (var scope = NoGrad.enter()) {
            for (int t = 0; t < threads; t++) {
                inputs[t] = Tensor.randn(rng, 5, 6);
                expected[t] = Functional.linear(Functional.linear(inputs[t], w1, b1).gelu(), w2, null).softmax(1)
                        .toArray();
            }
        }
        CyclicBarrier together = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Tensor>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Tensor in = inputs[t];
                Callable<List<Tensor>> job = () -> {
                    List<Tensor> outs = new ArrayList<>();
                    try (var scope = NoGrad.enter()) {
                        for (int rep = 0; rep < 5; rep++) {
                            together.await();
                            outs.add(Functional.linear(Functional.linear(in, w1, b1).gelu(), w2, null).softmax(1));
                        }
                    }
                    return outs;
                };
                results.add(pool.submit(job));
            }
            // This thread records while the others run without recording.
            assertTrue(NoGrad.isRecording());
            assertFalse(w1.sum().isLeaf());
            for (int t = 0; t < threads; t++) {
                for (Tensor out : results.get(t).get()) {
                    assertArrayEquals(expected[t], out.toArray());
                    assertTrue(out.isLeaf(), "nothing is recorded under NoGrad");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(null, w1.grad(), "no forward pass touched the shared parameters' gradients");
    }
}
