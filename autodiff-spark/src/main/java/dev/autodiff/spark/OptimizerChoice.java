package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerKind;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Which optimizer trains the network and with which hyper-parameters: what the driver
 * steps in synchronous training and what each replica rebuilds for local steps.
 *
 * @param kind the optimizer, spelled as the {@code optimizer} param and the CLI's {@code --optimizer}
 * @param learningRate the initial learning rate (the {@code stepSize} param)
 * @param momentum the momentum, for the optimizers that have one (SGD, RMSprop)
 * @param weightDecay the weight decay
 */
record OptimizerChoice(OptimizerKind kind, double learningRate, double momentum, double weightDecay)
        implements Serializable {
    static final String MOMENTUM = "momentum";
    static final String WEIGHT_DECAY = "weight_decay";

    /** A fresh optimizer of {@code params}, with the momentum and the weight decay where it has them. */
    Optimizer create(List<Tensor> params) {
        return kind.spec().create(params, learningRate, Map.of(MOMENTUM, momentum, WEIGHT_DECAY, weightDecay));
    }
}
