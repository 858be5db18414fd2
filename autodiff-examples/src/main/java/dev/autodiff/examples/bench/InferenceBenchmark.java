package dev.autodiff.examples.bench;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.Linear;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.Sequential;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Threads;

/**
 * Inference on one shared model: a forward pass under {@link NoGrad} of the MLP 784-256-10
 * ({@code Linear}, {@code ReLU}, {@code Linear}, as in {@link TrainStepBenchmark}) on a fixed
 * batch of 1 or 64 random samples, by 1, 2 or 8 caller threads at once, which only read the
 * model. {@code avgt} is the time of one call as each caller sees it (the latency);
 * {@code thrpt} the calls per microsecond of all callers together. The kernels' threads are
 * a parameter of their own, set per fork as in {@link TrainStepBenchmark}; PyTorch's side is
 * {@code torch_compare.py --only inference}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@BenchmarkMode({Mode.AverageTime, Mode.Throughput})
public class InferenceBenchmark extends ForkedBenchmark {

    @Param({"1", "64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private Sequential model;
    private Tensor x;

    @Setup
    public void setUp() {
        useSimdKernels(threads);
        SplittableRandom rng = new SplittableRandom(42);
        model = new Sequential(new Linear(784, 256, rng), new ReLU(), new Linear(256, 10, rng));
        model.eval();
        x = Tensor.randn(rng, batch, 784);
    }

    private Tensor forward() {
        try (var scope = NoGrad.enter()) {
            return model.forward(x);
        }
    }

    @Benchmark
    @Threads(1)
    public Tensor oneCaller() {
        return forward();
    }

    @Benchmark
    @Threads(2)
    public Tensor twoCallers() {
        return forward();
    }

    @Benchmark
    @Threads(8)
    public Tensor eightCallers() {
        return forward();
    }
}
