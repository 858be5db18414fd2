package dev.autodiff.examples.bench;

import dev.autodiff.Tensor;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerState;
import java.util.List;
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
 *
 * <p>With a gradient that never changes, weight decay drives the decayed gradient, and with
 * it the optimizer's state, towards 0: after 10,000 steps of RMSprop with weight decay 5e-4,
 * 81,219 of 784-256-10's 203,530 averages of squares were subnormal, and Zen 4 does its
 * arithmetic on those up to twice as slowly. Real gradients change every step, so every
 * {@value #STEPS_PER_RESTORE} calls the parameters and the state go back to what they were
 * after the first step (none of those averages, nor of Adam's moments, was subnormal 499
 * steps after it).
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

    /** Calls between restores of the parameters and the optimizer's state (see the class comment). */
    private static final int STEPS_PER_RESTORE = 500;

    private Optimizer update;
    private List<Tensor> parameters;
    private List<Tensor> firstParameters;
    private OptimizerState firstState;
    private int calls;

    @Setup
    public void setUp() {
        useSimdKernels(threads);
        MlpTrainStep step = new MlpTrainStep(MlpTrainStep.parseSizes(arch), 64, 42, optimizer);
        step.step();
        update = step.optimizer();
        parameters = step.model().parameters();
        firstParameters = parameters.stream().map(p -> p.detach().mul(1f)).toList();
        firstState = update.stateDict();
    }

    @Benchmark
    public Optimizer step() {
        if (++calls % STEPS_PER_RESTORE == 0) {
            for (int i = 0; i < parameters.size(); i++) {
                parameters.get(i).copyFrom(firstParameters.get(i));
            }
            update.loadStateDict(firstState);
        }
        update.step();
        return update;
    }
}
