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
 * Samples per second = batch / (ms per step) · 1000. Fifteen warm-up seconds: at two
 * threads the JIT's compilations take turns with the kernels' two threads on a two-core
 * machine, and 784-512-256-10 at batch 256 reaches its steady time only after 12–20 s
 * (4.5 ms per step in the third second, 3.4–3.5 from the twelfth, 2026-11-30); one thread
 * is steady from the fourth.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 15, time = 1)
public class TrainStepBenchmark extends ForkedBenchmark {

    @Param({"784-256-10", "784-512-256-10"})
    public String arch;

    @Param({"64", "256"})
    public int batch;

    @Param({"1", "2"})
    public int threads;

    /** An optimizer {@link MlpTrainStep} names ({@code sgd}: momentum 0.9), as {@code torch_compare.py --optimizer}. */
    @Param({"sgd"})
    public String optimizer;

    private MlpTrainStep step;

    @Setup
    public void setUp() {
        useSimdKernels(threads);
        step = new MlpTrainStep(MlpTrainStep.parseSizes(arch), batch, 42, optimizer);
    }

    @Benchmark
    public float trainStep() {
        return step.step();
    }
}
