package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.optim.Adagrad;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.AdamW;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.RMSprop;
import dev.autodiff.nn.optim.SGD;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Which optimizer trains the network and with which hyper-parameters: what the driver
 * steps in synchronous training and what each replica rebuilds for local steps.
 *
 * @param kind the optimizer
 * @param learningRate the initial learning rate (the {@code stepSize} param)
 * @param momentum the momentum of SGD and RMSprop
 * @param weightDecay the weight decay (decoupled for AdamW, L2 for the others)
 */
record OptimizerSpec(Kind kind, double learningRate, double momentum, double weightDecay) implements Serializable {

    /** The optimizers, spelled as the {@code optimizer} param and the CLI's {@code --optimizer}. */
    enum Kind implements Labeled {
        SGD(0.05), ADAM(1e-3), ADAMW(1e-3), RMSPROP(1e-3), ADAGRAD(1e-2);

        private final double defaultLearningRate;

        Kind(double defaultLearningRate) {
            this.defaultLearningRate = defaultLearningRate;
        }

        @Override
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The learning rate when {@code stepSize} is not set, as the CLI's defaults. */
        double defaultLearningRate() {
            return defaultLearningRate;
        }

        /** The weight decay when {@code weightDecay} is not set: AdamW's 0.01 as in PyTorch, 0 for the others. */
        double defaultWeightDecay() {
            return this == ADAMW ? 0.01 : 0;
        }
    }

    /** A fresh optimizer of {@code params}. */
    Optimizer create(List<Tensor> params) {
        return switch (kind) {
            case SGD -> new SGD(params, learningRate).momentum(momentum).weightDecay(weightDecay);
            case ADAM -> new Adam(params, learningRate).weightDecay(weightDecay);
            case ADAMW -> new AdamW(params, learningRate).weightDecay(weightDecay);
            case RMSPROP -> new RMSprop(params, learningRate).momentum(momentum).weightDecay(weightDecay);
            case ADAGRAD -> new Adagrad(params, learningRate).weightDecay(weightDecay);
        };
    }
}
