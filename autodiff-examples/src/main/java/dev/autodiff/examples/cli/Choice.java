package dev.autodiff.examples.cli;

import dev.autodiff.nn.optim.OptimizerSpec;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Option values spelled as on the command line ({@code leaky_relu}, {@code warmup-cosine}):
 * each choice enum implements this, and {@link #registerAll} teaches picocli to parse them
 * with a message that lists the accepted values.
 */
interface Choice {
    /** The spelling on the command line. */
    String label();

    /** The activations of the hidden layers. */
    enum Activation implements Choice {
        RELU("relu"), TANH("tanh"), SIGMOID("sigmoid"), GELU("gelu"), SILU("silu"), LEAKY_RELU("leaky_relu");

        private final String label;

        Activation(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }
    }

    /**
     * The optimizers, one line each: the label, the default learning rate, the options that
     * apply and the help text all come from the optimizer's {@link OptimizerSpec}.
     */
    enum OptimizerName implements Choice {
        SGD(dev.autodiff.nn.optim.SGD.SPEC),
        ADAM(dev.autodiff.nn.optim.Adam.SPEC),
        ADAMW(dev.autodiff.nn.optim.AdamW.SPEC),
        RMSPROP(dev.autodiff.nn.optim.RMSprop.SPEC),
        ADAGRAD(dev.autodiff.nn.optim.Adagrad.SPEC);

        private final OptimizerSpec spec;

        OptimizerName(OptimizerSpec spec) {
            this.spec = spec;
        }

        /** The optimizer's name in lower case: {@code sgd}, {@code adamw}. */
        @Override
        public String label() {
            return spec.name().toLowerCase(Locale.ROOT);
        }

        /** The optimizer's declaration. */
        OptimizerSpec spec() {
            return spec;
        }
    }

    /** The learning-rate schedules, stepped once per epoch. */
    enum Schedule implements Choice {
        NONE("none"), STEP("step"), COSINE("cosine"), WARMUP_COSINE("warmup-cosine");

        private final String label;

        Schedule(String label) {
            this.label = label;
        }

        @Override
        public String label() {
            return label;
        }
    }

    /** Registers a converter for each choice enum. */
    static void registerAll(CommandLine cl) {
        register(cl, Activation.class);
        register(cl, OptimizerName.class);
        register(cl, Schedule.class);
    }

    private static <E extends Enum<E> & Choice> void register(CommandLine cl, Class<E> type) {
        cl.registerConverter(type, text -> parse(type, text));
    }

    /** The constant spelled {@code text}. */
    static <E extends Enum<E> & Choice> E parse(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not one of " + labels(type));
    }

    /** The accepted spellings, comma-separated. */
    static String labels(Class<? extends Choice> type) {
        return Arrays.stream(type.getEnumConstants()).map(Choice::label).collect(Collectors.joining(", "));
    }
}
