package dev.autodiff.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A {@link Sequential} runs each {@link Linear} followed by a {@link ReLU} as one fused op,
 * and gives exactly what the layers give one by one: the output and every parameter's
 * gradient, bit for bit, first layer or not, for a batch and for a single sample.
 */
class SequentialFusionTest {

    private static Sequential mlp(long seed) {
        var rng = new SplittableRandom(seed);
        return new Sequential(new Linear(12, 16, rng), new ReLU(), new Linear(16, 8, rng), new ReLU(),
                new Tanh(), new Linear(8, 3, rng));
    }

    /** The same layers, each module applied on its own. */
    private static Tensor oneByOne(Sequential model, Tensor x) {
        Tensor y = x;
        for (int i = 0; i < model.size(); i++) {
            y = model.get(i).forward(y);
        }
        return y;
    }

    private static float[][] outputAndGradients(Sequential model, Tensor y) {
        List<Tensor> params = model.parameters();
        params.forEach(Tensor::zeroGrad);
        y.square().sum().backward();
        float[][] all = new float[params.size() + 1][];
        all[0] = y.toArray();
        for (int i = 0; i < params.size(); i++) {
            all[i + 1] = params.get(i).grad().toArray();
        }
        return all;
    }

    @Test
    void fusedLayersGiveTheBitsOfTheLayersOneByOne() {
        var rng = new SplittableRandom(3);
        for (Tensor x : new Tensor[] {Tensor.randn(rng, 5, 12), Tensor.randn(rng, 12)}) {
            Sequential model = mlp(1);
            float[][] separate = outputAndGradients(model, oneByOne(model, x));
            Tensor fused = model.forward(x);
            assertEquals(x.rank() == 2 ? "linear" : "reshape", fused.op());
            float[][] together = outputAndGradients(model, fused);
            for (int i = 0; i < separate.length; i++) {
                assertArrayEquals(separate[i], together[i], i == 0 ? "output" : "gradient of parameter " + (i - 1));
            }
        }
    }

    @Test
    void theFirstPairFusesAndTheModelStillTrains() {
        Sequential model = new Sequential(new Linear(4, 6, new SplittableRandom(2)), new ReLU());
        Tensor x = Tensor.randn(new SplittableRandom(4), 3, 4);
        assertEquals("linearRelu", model.forward(x).op());
        float[] expected = model.get(0).forward(x).relu().toArray();
        assertArrayEquals(expected, model.forward(x).toArray());
    }

    @Test
    void aSharedModelServesConcurrentCallersWithTheSingleThreadedResults() throws Exception {
        var rng = new SplittableRandom(6);
        // one sample takes the kernels' row-times-matrix path, a batch the tiled one
        Sequential model = new Sequential(new Linear(100, 64, rng), new ReLU(), new Linear(64, 10, rng)).eval();
        int callers = 8;
        Tensor[] inputs = new Tensor[callers];
        float[][] expected = new float[callers][];
        for (int c = 0; c < callers; c++) {
            inputs[c] = c % 2 == 0 ? Tensor.randn(rng, 1, 100) : Tensor.randn(rng, 70, 100);
            try (var scope = NoGrad.enter()) {
                expected[c] = model.forward(inputs[c]).toArray();
            }
        }
        CyclicBarrier together = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<float[]>>> results = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                Tensor x = inputs[c];
                results.add(pool.submit(() -> {
                    List<float[]> outs = new ArrayList<>();
                    for (int rep = 0; rep < 20; rep++) {
                        together.await();
                        try (var scope = NoGrad.enter()) {
                            outs.add(model.forward(x).toArray());
                        }
                    }
                    return outs;
                }));
            }
            for (int c = 0; c < callers; c++) {
                for (float[] out : results.get(c).get()) {
                    assertArrayEquals(expected[c], out, "caller " + c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
