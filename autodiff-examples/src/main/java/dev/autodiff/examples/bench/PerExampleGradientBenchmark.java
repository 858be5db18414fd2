package dev.autodiff.examples.bench;

import dev.autodiff.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Per-example gradients of an MLP ({@link PerExampleGradients}) in milliseconds per batch:
 * {@code AD.vmapMulti(AD.grads(loss))} against the Java loop over the examples, which
 * returns one array of gradients per example, and against the loop with its gradients
 * stacked per parameter as vmap returns them. The models: the 784-256-10 of the README's
 * speed section, and the 64-64-10 the trainer fits to the digits. Like
 * {@link TrainStepBenchmark}, {@link #setUp} sets the kernel thread count before the
 * kernels load and checks that the SIMD kernels are active.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PerExampleGradientBenchmark extends ForkedBenchmark {

    @Param({"784-256-10", "64-64-10"})
    public String arch;

    @Param({"64"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private PerExampleGradients work;

    @Setup
    public void setUp() {
        useSimdKernels(threads);
        work = new PerExampleGradients(MlpTrainStep.parseSizes(arch), batch, 42);
    }

    @Benchmark
    public Tensor[] vmap() {
        return work.vmapped();
    }

    @Benchmark
    public Tensor[][] loop() {
        return work.loop();
    }

    @Benchmark
    public Tensor[] loopStacked() {
        return work.loopStacked();
    }
}
