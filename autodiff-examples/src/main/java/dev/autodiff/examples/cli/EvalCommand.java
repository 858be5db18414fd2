package dev.autodiff.examples.cli;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.ConfusionMatrix;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.io.SafeTensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code autodiff eval}: the accuracy and confusion matrix of a saved model on a data set's
 * test split. It needs the model file alone: a checkpoint of {@code train --save}, or a
 * state dict of a {@code Sequential} of {@code Linear} layers written by Python's
 * safetensors, whose architecture it infers from the tensors' names and shapes. Only the
 * test split is loaded, preprocessed as the model file says.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reports the test accuracy and the confusion matrix of a saved model.")
final class EvalCommand implements Callable<Integer> {
    private static final long DEFAULT_SEED = 42;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<model>",
            description = "a model file: a checkpoint of train --save, or a safetensors state dict of a torch.nn.Sequential "
                    + "of Linear layers")
    Path checkpoint;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--activation", paramLabel = "<name>",
            description = "the activation between the layers, for a file that does not say (default: relu)")
    Activation activation;

    @Option(names = "--seed", paramLabel = "<n>",
            description = "seed of the digits or csv split, for a file that does not say (default: " + DEFAULT_SEED + ")")
    Long seed;

    @Option(names = "--preprocessing", paramLabel = "<json>",
            description = "for a file without autodiff.preprocessing: {\"scale\": s, \"mean\": [...], \"std\": [...]}, "
                    + "the model's input being (raw * scale - mean) / std")
    String preprocessing;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        SafeTensors.Header header = SafeTensors.readHeader(checkpoint);
        Map<String, String> meta = header.metadata();
        String file = checkpoint.toString();
        StoredOptions stored = new StoredOptions(meta, file);
        boolean described = stored.has("model.inputs");
        LinearStack stack = described ? null : LinearStack.infer(header.shapes(),
                activation != null ? activation : Activation.RELU, checkpoint);
        Architecture architecture = described ? Architecture.fromMetadata(stored) : stack.architecture();
        if (described && activation != null && activation != architecture.activation()) {
            throw new IllegalArgumentException("--activation " + activation.label() + " conflicts with " + file
                    + ", whose model uses " + architecture.activation().label());
        }
        String dataset = data.dataset != null ? data.dataset : savedDataset(stored);
        long splitSeed = splitSeed(stored);
        Preprocessing p = preprocessing(meta, architecture);
        DataSource.Loaded loaded = DataSource.loadTest(dataset, csvOptions(stored), splitSeed, file,
                architecture.inputs(), architecture.classes(), p);
        Sequential model = architecture.build(splitSeed);
        if (described) {
            Checkpoint.load(checkpoint, model);
        } else {
            Map<String, Tensor> tensors = SafeTensors.read(checkpoint).tensors();
            Map<String, Tensor> renamed = new LinkedHashMap<>();
            stack.names().forEach((ours, theirs) -> renamed.put(ours, tensors.get(theirs)));
            model.loadStateDict(renamed, true);
        }
        ConfusionMatrix matrix = Trainer.evaluate(model, loaded.test(), architecture.classes());
        out.printf("%s on %s test split (%d samples): accuracy %.2f%%%n", architecture, loaded.name(),
                matrix.total(), 100 * matrix.accuracy());
        out.println(table(matrix, architecture.classes()));
        return 0;
    }

    /** The data set the file names; a file without one needs --dataset. */
    private static String savedDataset(StoredOptions stored) {
        if (!stored.has("dataset")) {
            throw new IllegalArgumentException(stored.source() + " does not say which data set it was trained on; "
                    + "pass --dataset");
        }
        return stored.dataset();
    }

    /** The seed that drew the digits or csv split: the file's, which an explicit --seed must match. */
    private long splitSeed(StoredOptions stored) {
        if (!stored.has("seed")) {
            return seed != null ? seed : DEFAULT_SEED;
        }
        long s = stored.longInteger("seed");
        if (seed != null && seed != s) {
            throw new IllegalArgumentException("--seed " + seed + " conflicts with " + stored.source()
                    + ", trained with seed " + s + " (its test split depends on it); leave it out");
        }
        return s;
    }

    /** The CSV options the file was trained with, unless given. */
    private DataSource.CsvOptions csvOptions(StoredOptions stored) {
        DataSource.CsvOptions given = data.csvOptions();
        ParseResult pr = spec.commandLine().getParseResult();
        return new DataSource.CsvOptions(
                pr.hasMatchedOption("--label-column") ? given.labelColumn()
                        : stored.integerOr("data.label_column", given.labelColumn()),
                pr.hasMatchedOption("--csv-header") ? given.header()
                        : stored.booleanOr("data.csv_header", given.header()));
    }

    /**
     * The preprocessing the model was trained with: the file's, or --preprocessing. Without
     * either it cannot be known, because it depends on the training split, which is not read here.
     */
    private Preprocessing preprocessing(Map<String, String> meta, Architecture architecture)
            throws IOException {
        Preprocessing saved = RunCheckpoint.preprocessing(meta, checkpoint);
        Preprocessing given = preprocessing != null ? given(preprocessing) : null;
        if (saved != null && given != null && !saved.equals(given)) {
            throw new IllegalArgumentException("--preprocessing conflicts with the " + Preprocessing.METADATA_KEY
                    + " of " + checkpoint + "; leave it out");
        }
        Preprocessing p = saved != null ? saved : given;
        if (p == null) {
            throw new IllegalArgumentException(checkpoint + " does not say how its inputs were preprocessed (no "
                    + Preprocessing.METADATA_KEY + " in its metadata); pass --preprocessing '{\"scale\": 1, \"mean\": [0], "
                    + "\"std\": [1]}' with the numbers it was trained with");
        }
        if (p.featureCount() != 0 && p.featureCount() != architecture.inputs()) {
            throw new IllegalArgumentException(checkpoint + ": the preprocessing has " + p.featureCount()
                    + " features, the model " + architecture.inputs());
        }
        return p;
    }

    private static Preprocessing given(String json) {
        try {
            return Preprocessing.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--preprocessing: " + e.getMessage(), e);
        }
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
