package dev.autodiff.examples.cli;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Labeled;
import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.SchedulePreset;
import picocli.CommandLine;

/**
 * Option values spelled as on the command line: the labels of nn's {@link Labeled} enums
 * ({@code leaky_relu}, {@code warmup-cosine}). {@link #registerAll} teaches picocli to parse
 * them, in any case, with a message that lists the accepted values.
 */
final class Choice {
    private Choice() {}

    /** Registers a converter for each choice enum: activations, optimizers and schedules. */
    static void registerAll(CommandLine cl) {
        register(cl, Activation.class);
        register(cl, OptimizerKind.class);
        register(cl, SchedulePreset.class);
    }

    private static <E extends Enum<E> & Labeled> void register(CommandLine cl, Class<E> type) {
        cl.registerConverter(type, text -> parse(type, text));
    }

    /** The constant spelled {@code text}, in any case. */
    static <E extends Enum<E> & Labeled> E parse(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.label().equalsIgnoreCase(text)) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("'" + text + "' is not one of " + labels(type));
    }

    /** The accepted spellings, comma-separated. */
    static <E extends Enum<E> & Labeled> String labels(Class<E> type) {
        return String.join(", ", Labeled.labels(type));
    }
}
