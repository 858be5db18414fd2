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
 * Matrix products of a square n=512 and of an MLP's shapes, as {@code m x n x k layout};
 * GFLOPS = 2·m·n·k / time. The MLP cases are a 784-256 layer on a batch of 128 in its
 * three products (forward X·Wᵀ is ABt, dX = dY·W is AB, dW = dYᵀ·X is AtB, all
 * listed with the same m, n, k) and the 256-10 head; then the same layer on a batch of 64
 * as the training step runs it (forward X·Wᵀ 64x256x784 ABt, dX = dY·W 64x784x256 AB,
 * dW = dYᵀ·X 256x784x64 AtB).
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class GemmBenchmark extends KernelBenchmark {

    @Param({"512x512x512 AB", "128x256x784 AB", "128x256x784 ABt", "128x256x784 AtB", "128x10x256 AB",
        "64x256x784 ABt", "64x784x256 AB", "256x784x64 AtB"})
    public String shape;

    private Kernels k;
    private boolean transA;
    private boolean transB;
    private int m;
    private int n;
    private int kk;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        k = named();
        String[] parts = shape.split(" ");
        String[] dims = parts[0].split("x");
        m = Integer.parseInt(dims[0]);
        n = Integer.parseInt(dims[1]);
        kk = Integer.parseInt(dims[2]);
        transA = parts[1].startsWith("At");
        transB = parts[1].endsWith("Bt");
        a = random(m * kk, 1);
        b = random(kk * n, 2);
        c = new float[m * n];
    }

    @Benchmark
    public float[] gemm() {
        k.gemm(transA, transB, m, n, kk, a, b, c, false);
        return c;
    }
}
