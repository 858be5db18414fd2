package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.optim.Adagrad;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.AdamW;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerSpec;
import dev.autodiff.nn.optim.RMSprop;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * Which optimizer trains the network and with which hyper-parameters: what the driver
 * steps in synchronous training and what each replica rebuilds for local steps.
 *
 * @param kind the optimizer
 * @param learningRate the initial learning rate (the {@code stepSize} param)
 * @param momentum the momentum, for the optimizers that have one (SGD, RMSprop)
 * @param weightDecay the weight decay
 */
record OptimizerChoice(Kind kind, double learningRate, double momentum, double weightDecay) implements Serializable {
    static final String MOMENTUM = "momentum";
    static final String WEIGHT_DECAY = "weight_decay";

    /** The optimizers, spelled as the {@code optimizer} param and the CLI's {@code --optimizer}. */
    enum Kind implements Labeled {
        SGD(dev.autodiff.nn.optim.SGD.SPEC),
        ADAM(Adam.SPEC),
        ADAMW(AdamW.SPEC),
        RMSPROP(RMSprop.SPEC),
        ADAGRAD(Adagrad.SPEC);

        private final OptimizerSpec spec;

        Kind(OptimizerSpec spec) {
            this.spec = spec;
        }

        @Override
        public String label() {
            return spec.name().toLowerCase(Locale.ROOT);
        }

        /** The optimizer's declaration: its default learning rate and hyper-parameters. */
        OptimizerSpec spec() {
            return spec;
        }
    }

    /** A fresh optimizer of {@code params}. */
    Optimizer create(List<Tensor> params) {
        OptimizerSpec spec = kind.spec();
        Optimizer optimizer = spec.create(params, learningRate);
        if (spec.declares(MOMENTUM)) {
            optimizer.set(MOMENTUM, momentum);
        }
        if (spec.declares(WEIGHT_DECAY)) {
            optimizer.set(WEIGHT_DECAY, weightDecay);
        }
        return optimizer;
    }
}
