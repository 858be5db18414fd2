package dev.autodiff.examples.cli;

import dev.autodiff.nn.ConfusionMatrix;
import dev.autodiff.nn.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code autodiff eval}: the accuracy and confusion matrix of a checkpoint on a data set's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Reports the test accuracy and the confusion matrix of a saved model.")
final class EvalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<checkpoint>", description = "a checkpoint written by train --save")
    Path checkpoint;

    @Mixin
    DataOptions data = new DataOptions();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        RunCheckpoint saved = RunCheckpoint.load(checkpoint);
        DataSource.Loaded loaded = data.load(saved.dataset(), saved.seed());
        Architecture architecture = saved.architecture();
        if (loaded.features() != architecture.inputs()) {
            throw new IllegalArgumentException(checkpoint + " expects " + architecture.inputs() + " features, "
                    + loaded.name() + " has " + loaded.features());
        }
        Sequential model = architecture.build(saved.seed());
        model.loadStateDict(saved.model(), true);
        ConfusionMatrix matrix = Trainer.evaluate(model, loaded.test(), architecture.classes());
        out.printf("%s on %s test split (%d samples): accuracy %.2f%%%n", architecture, loaded.name(),
                matrix.total(), 100 * matrix.accuracy());
        out.println(table(matrix, architecture.classes()));
        return 0;
    }

    /** The confusion matrix with aligned columns, actual classes down, predicted across. */
    static String table(ConfusionMatrix m, int classes) {
        int width = Math.max(String.valueOf(m.total()).length(), String.valueOf(classes - 1).length()) + 1;
        StringBuilder sb = new StringBuilder("actual \\ predicted\n").append(" ".repeat(6));
        for (int p = 0; p < classes; p++) {
            sb.append(String.format("%" + width + "d", p));
        }
        sb.append("   recall");
        for (int a = 0; a < classes; a++) {
            sb.append(String.format("%n%6d", a));
            for (int p = 0; p < classes; p++) {
                sb.append(String.format("%" + width + "d", m.count(a, p)));
            }
            sb.append(String.format("  %6.2f%%", 100 * m.recall(a)));
        }
        return sb.toString();
    }
}
