package dev.autodiff.examples.cli;

import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.OptimizerSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The help text of {@code train}'s optimizer options, written from the optimizers'
 * declarations so that it names every optimizer {@link OptimizerKind} lists and its
 * defaults. Picocli reads it as the command's resource bundle; the keys are the options'
 * description keys, and for {@code --lr}, {@code --momentum} and {@code --weight-decay} also
 * the names of the hyper-parameters they set.
 */
final class OptimizerHelp extends ListResourceBundle {
    static final String OPTIMIZER = "optimizer";
    static final String LR = "lr";
    static final String MOMENTUM = "momentum";
    static final String WEIGHT_DECAY = "weight_decay";

    @Override
    protected Object[][] getContents() {
        List<OptimizerKind> all = List.of(OptimizerKind.values());
        List<OptimizerKind> withDecay = declaring(WEIGHT_DECAY);
        return new Object[][] {
            {OPTIMIZER, "the optimizer: " + labels(all, "or") + " (default: ${DEFAULT-VALUE})"},
            {LR, "learning rate (default: " + byValue(all, OptimizerSpec::defaultLr) + ")"},
            {MOMENTUM, "momentum of " + labels(declaring(MOMENTUM), "and") + " (default: ${DEFAULT-VALUE})"},
            {WEIGHT_DECAY, "weight decay (default: " + byValue(withDecay, spec -> spec.defaultOf(WEIGHT_DECAY)) + ")"},
        };
    }

    private static List<OptimizerKind> declaring(String hyperParameter) {
        Predicate<OptimizerKind> declares = name -> name.spec().declares(hyperParameter);
        return Arrays.stream(OptimizerKind.values()).filter(declares).toList();
    }

    /** {@code 0.05 for sgd, 0.001 for adam and adamw}: the optimizers grouped by a value, in the order listed. */
    private static String byValue(List<OptimizerKind> names, ToDoubleFunction<OptimizerSpec> value) {
        Map<Double, List<OptimizerKind>> groups = new LinkedHashMap<>();
        for (OptimizerKind name : names) {
            groups.computeIfAbsent(value.applyAsDouble(name.spec()), v -> new ArrayList<>()).add(name);
        }
        List<String> parts = new ArrayList<>();
        groups.forEach((v, group) -> parts.add(number(v) + " for " + labels(group, "and")));
        return String.join(", ", parts);
    }

    /** {@code sgd, adam and adamw}. */
    private static String labels(List<OptimizerKind> names, String conjunction) {
        List<String> labels = names.stream().map(OptimizerKind::label).toList();
        return labels.size() == 1 ? labels.getFirst()
                : String.join(", ", labels.subList(0, labels.size() - 1)) + " " + conjunction + " " + labels.getLast();
    }

    private static String number(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
