package dev.autodiff.examples.bench;

import dev.autodiff.kernel.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Row softmax of a classifier's logits (128x10) and of a wide matrix (256x1000), in microseconds. */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SoftmaxBenchmark extends KernelBenchmark {

    @Param({"128x10", "256x1000"})
    public String shape;

    private Kernels k;
    private int rows;
    private int cols;
    private float[] x;
    private float[] out;

    @Setup
    public void setUp() {
        k = named();
        String[] dims = shape.split("x");
        rows = Integer.parseInt(dims[0]);
        cols = Integer.parseInt(dims[1]);
        x = random(rows * cols, 1);
        out = new float[rows * cols];
    }

    @Benchmark
    public float[] softmax() {
        k.softmax(x, rows, cols, out);
        return out;
    }
}
