package dev.autodiff.bench;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Unary;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Elementwise kernels over 1M floats; scores are nanoseconds per element. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", KernelInfo.VECTOR_MODULE})
public class ElementwiseBenchmark {
    private static final int N = 1 << 20;
    private static final int[] SHAPE = {N};

    @Param({"EXP", "TANH", "SIGMOID", "RELU", "GELU"})
    public Unary op;

    @Param({"simd-1", "simd-2", "scalar"})
    public String kernels;

    private Kernels k;
    private float[] x;
    private float[] y;
    private float[] out;

    @Setup
    public void setUp() {
        k = BenchKernels.named(kernels);
        x = BenchKernels.random(N, 1);
        y = BenchKernels.random(N, 2);
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
