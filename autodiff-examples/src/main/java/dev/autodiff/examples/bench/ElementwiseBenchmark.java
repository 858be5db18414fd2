package dev.autodiff.examples.bench;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Unary;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Elementwise kernels over 1M floats; scores are nanoseconds per element. */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ElementwiseBenchmark extends KernelBenchmark {
    private static final int N = 1 << 20;
    private static final int[] SHAPE = {N};

    @Param({"EXP", "TANH", "SIGMOID", "RELU", "GELU"})
    public Unary op;

    private Kernels k;
    private float[] x;
    private float[] y;
    private float[] out;

    @Setup
    public void setUp() {
        k = named();
        x = random(N, 1);
        y = random(N, 2);
        out = new float[N];
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public float[] unary() {
        k.unary(op, 0f, x, out, N);
        return out;
    }

    /** Same-shape addition; it does not depend on {@link #op}, which only repeats it. */
    @Benchmark
    @OperationsPerInvocation(N)
    public float[] add() {
        k.binary(Binary.ADD, x, SHAPE, y, SHAPE, out, SHAPE);
        return out;
    }
}
