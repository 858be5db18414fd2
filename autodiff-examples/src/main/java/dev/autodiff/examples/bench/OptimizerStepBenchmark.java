package dev.autodiff.examples.bench;

import dev.autodiff.nn.optim.Optimizer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The optimizer's part of a training step alone: {@code optimizer.step()} on the parameters
 * of an MLP ({@link MlpTrainStep}) whose gradients one training step left, the same
 * gradients every call. 784-256-10 has 203,530 parameters, 784-512-256-10 535,818. PyTorch's
 * side is {@code torch_compare.py --only optimizer}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OptimizerStepBenchmark extends ForkedBenchmark {

    @Param({"784-256-10", "784-512-256-10"})
    public String arch;

    /**
     * An optimizer {@link MlpTrainStep} names: {@code sgd} (momentum 0.9), {@code sgd-nesterov},
     * {@code adam}, {@code rmsprop} or {@code adagrad}, each also with {@code -decay} (weight decay 5e-4).
     */
    @Param({"sgd", "sgd-decay", "sgd-nesterov", "adam", "adam-decay", "rmsprop", "rmsprop-decay", "adagrad",
        "adagrad-decay"})
    public String optimizer;

    @Param({"1", "2"})
    public int threads;

    private Optimizer update;

    @Setup
    public void setUp() {
        useSimdKernels(threads);
        MlpTrainStep step = new MlpTrainStep(MlpTrainStep.parseSizes(arch), 64, 42, optimizer);
        step.step();
        update = step.optimizer();
    }

    @Benchmark
    public Optimizer step() {
        update.step();
        return update;
    }
}
