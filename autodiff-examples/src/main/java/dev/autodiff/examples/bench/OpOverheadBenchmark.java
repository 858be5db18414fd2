package dev.autodiff.examples.bench;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What the framework costs per op apart from the arithmetic: a chain of {@value #OPS} ops
 * on tensors of 4 floats ({@value #ROUNDS} rounds of multiply, add and tanh with
 * two leaves that require gradients, then a sum), in microseconds per chain. Divided by
 * {@value #OPS}, that is the cost of one op: recorded and differentiated
 * ({@link #forwardBackward}), or run under {@link NoGrad} ({@link #forwardNoGrad}).
 * {@code torch_compare.py --only overhead} times the same chain in PyTorch.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OpOverheadBenchmark extends ForkedBenchmark {
    static final int ROUNDS = 20;
    /** Three ops a round and the final sum. */
    static final int OPS = 3 * ROUNDS + 1;

    private Tensor x;
    private Tensor w;
    private Tensor b;

    @Setup
    public void setUp() {
        useSimdKernels(1);
        SplittableRandom rng = new SplittableRandom(42);
        x = Tensor.randn(rng, 4).requiresGrad();
        w = Tensor.randn(rng, 4).requiresGrad();
        b = Tensor.randn(rng, 4).requiresGrad();
    }

    /** The chain's value: {@code Σ tanh(…tanh(x·w + b)…·w + b)}. */
    static Tensor chain(Tensor x, Tensor w, Tensor b) {
        Tensor y = x;
        for (int i = 0; i < ROUNDS; i++) {
            y = y.mul(w).add(b).tanh();
        }
        return y.sum();
    }

    @Benchmark
    public float forwardBackward() {
        Tensor loss = chain(x, w, b);
        loss.backward();
        return loss.item();
    }

    @Benchmark
    public float forwardNoGrad() {
        try (var scope = NoGrad.enter()) {
            return chain(x, w, b).item();
        }
    }
}
