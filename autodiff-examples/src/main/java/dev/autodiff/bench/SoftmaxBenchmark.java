package dev.autodiff.bench;

import dev.autodiff.KernelInfo;
import dev.autodiff.kernel.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Row softmax of a classifier's logits (128x10) and of a wide matrix (256x1000), in microseconds. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", KernelInfo.VECTOR_MODULE})
public class SoftmaxBenchmark {

    @Param({"128x10", "256x1000"})
    public String shape;

    @Param({"simd-1", "simd-2", "scalar"})
    public String kernels;

    private Kernels k;
    private int rows;
    private int cols;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        k = BenchKernels.named(kernels);
        String[] dims = shape.split("x");
        rows = Integer.parseInt(dims[0]);
        cols = Integer.parseInt(dims[1]);
        x = BenchKernels.random(rows * cols, 1);
        out = new float[rows * cols];
    }

    @Benchmark
    public float[] softmax() {
        k.softmax(x, rows, cols, out);
        return out;
    }
}
