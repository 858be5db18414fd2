package dev.autodiff.examples.bench;

import dev.autodiff.kernel.Kernels;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A linear layer with bias and ReLU on one sample, {@code out x in}: {@code asStored} reads
 * the weight as stored ({@code Kernels.linear}), {@code packed} from the layout the kernels
 * make for one row ({@code Kernels.linearOneRow}), and {@code pack} times making that
 * layout. Where the kernels make none (the scalar ones; the SIMD ones for fewer panels than
 * threads), {@code packed} runs {@code linear}, as inference under {@code NoGrad} then does.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class OneRowLinearBenchmark extends KernelBenchmark {

    @Param({"128x784", "200x784", "256x784", "512x784", "1024x512"})
    public String shape;

    private Kernels k;
    private int n;
    private int in;
    private float[] x;
    private float[] w;
    private float[] bias;
    private float[] packed;
    private float[] out;

    @Setup
    public void setUp() {
        k = named();
        String[] dims = shape.split("x");
        n = Integer.parseInt(dims[0]);
        in = Integer.parseInt(dims[1]);
        x = random(in, 1);
        w = random(n * in, 2);
        bias = random(n, 3);
        packed = k.packForOneRow(n, in, w);
        out = new float[n];
    }

    @Benchmark
    public float[] asStored() {
        k.linear(1, n, in, x, w, bias, true, out);
        return out;
    }

    @Benchmark
    public float[] packed() {
        if (packed == null) {
            k.linear(1, n, in, x, w, bias, true, out);
        } else {
            k.linearOneRow(n, in, x, w, packed, bias, true, out);
        }
        return out;
    }

    @Benchmark
    public float[] pack() {
        return k.packForOneRow(n, in, w);
    }
}
