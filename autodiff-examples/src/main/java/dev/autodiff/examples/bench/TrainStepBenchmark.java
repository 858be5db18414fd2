package dev.autodiff.examples.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full MLP training step ({@link MlpTrainStep}) in milliseconds, per architecture,
 * batch size and kernel thread count. JMH runs every parameter combination in fresh
 * forks, so {@link #setUp} can set {@code autodiff.threads} before the kernels load;
 * it then checks that the SIMD kernels are active with exactly that many threads.
 * Samples per second = batch / (ms per step) · 1000.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 8, time = 1)
public class TrainStepBenchmark extends ForkedBenchmark {

    @Param({"784-256-10", "784-512-256-10"})
    public String arch;

    @Param({"64", "256"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    private MlpTrainStep step;

    @Setup
    public void setUp() {
        useSimdKernels(threads);
        step = new MlpTrainStep(MlpTrainStep.parseSizes(arch), batch, 42);
    }

    @Benchmark
    public float trainStep() {
        return step.step();
    }
}
