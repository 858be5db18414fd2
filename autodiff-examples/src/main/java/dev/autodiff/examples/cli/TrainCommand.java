package dev.autodiff.examples.cli;

import dev.autodiff.KernelInfo;
import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.HeapCheck;
import dev.autodiff.nn.Labeled;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.io.SafeTensors;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.OptimizerSpec;
import dev.autodiff.nn.optim.SchedulePreset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code autodiff train}: trains a multilayer perceptron on a data set and reports each epoch. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains a multilayer perceptron with cross-entropy and reports loss, accuracy and speed per epoch.")
final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--hidden", split = ",", paramLabel = "<sizes>",
            description = "hidden layer sizes, comma-separated (default: 64 for digits, 256 otherwise; 0 for none)")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "<name>",
            description = "relu, tanh, sigmoid, gelu, silu or leaky_relu (default: ${DEFAULT-VALUE})")
    Activation activation;

    // The help of the four optimizer options is written from the optimizers' declarations: OptimizerHelp.
    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "<name>", descriptionKey = OptimizerHelp.OPTIMIZER)
    OptimizerKind optimizer;

    @Option(names = "--lr", paramLabel = "<rate>", descriptionKey = OptimizerHelp.LR)
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "<m>", descriptionKey = OptimizerHelp.MOMENTUM)
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "<wd>", descriptionKey = OptimizerHelp.WEIGHT_DECAY)
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "none", paramLabel = "<name>",
            description = "learning-rate schedule per epoch: none, step (x0.1 every third of the run), cosine, "
                    + "or warmup-cosine (linear warm-up over a tenth of the run) (default: ${DEFAULT-VALUE})")
    SchedulePreset schedule;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "<n>", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "<n>",
            description = "total number of epochs, including those of a resumed checkpoint (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "<n>",
            description = "seed of the initialization, the shuffling and the digits and csv splits (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", paramLabel = "<n>",
            description = "threads of the kernels (default: all cores); sets autodiff.threads")
    Integer threads;

    @Option(names = "--save", paramLabel = "<file>", description = "write a checkpoint (.safetensors) after each epoch")
    Path save;

    @Option(names = "--resume", paramLabel = "<file>",
            description = "continue the run saved in a checkpoint, with its options; --epochs may raise the total")
    Path resume;

    @Option(names = "--plot", paramLabel = "<file.png>", description = "write a PNG of the loss and accuracy curves")
    Path plot;

    @Option(names = "--json", description = "print one JSON summary line on stdout (the epoch lines go to stderr)")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        validate();
        if (resume == null) {
            checkHyperParameters(optimizer, optimizer.label());
        }
        checkOutputs();
        if (threads != null) {
            // Read once, when the kernels load: that is why this comes before any tensor work.
            System.setProperty("autodiff.threads", Integer.toString(threads));
        }
        RunCheckpoint from = resume != null ? RunCheckpoint.read(resume) : null;
        RunOptions resumed = from != null ? resumedOptions(from) : null;
        String dataset = resumed != null ? resumed.dataset() : data.dataset != null ? data.dataset : "digits";
        DataSource.CsvOptions csv = resumed != null ? resumed.csv() : data.csvOptions();
        long runSeed = resumed != null ? resumed.seed() : seed;
        int runBatch = resumed != null ? resumed.batch() : batch;
        // While the data loads, the warm-up trains a model with the run's hidden layers, activation and
        // optimizer. Before the data is read its inputs and classes are not known: 1 and 2 stand for them.
        RunOptions planned = resumed != null ? resumed
                : freshOptions(dataset, new Architecture(1, hidden != null ? hidden() : defaultHidden(dataset), activation, 2));
        Architecture plannedModel = planned.architecture();
        DataSource.Loaded loaded;
        try (var warmup = KernelWarmup.start(runBatch, plannedModel.hidden(), plannedModel.activation(),
                model -> optimizer(model, planned))) {
            loaded = DataSource.load(dataset, csv, runSeed);
            if ((long) loaded.train().size() * epochs >= WARM_START_SAMPLES) {
                warmup.awaitWarm(WARM_START_LIMIT);
            }
        }
        RunOptions run = resumed != null ? resumed : freshOptions(loaded.name(), new Architecture(loaded.features(),
                hidden != null ? hidden() : defaultHidden(loaded.name()), activation, loaded.classes()));
        checkFits(run.architecture(), loaded);
        if (from != null && from.preprocessing() != null && !from.preprocessing().equals(loaded.preprocessing())) {
            throw new IllegalArgumentException(loaded.name() + " is not the data " + resume + " was trained on: its "
                    + "training split's statistics changed (" + firstDifference(loaded.preprocessing(), from.preprocessing())
                    + ")");
        }
        HeapCheck.require(RunMemory.bytes(run), "training " + run.architecture() + " with " + run.optimizer().label()
                + " at batch " + run.batch());

        Sequential model = run.architecture().build(run.seed());
        Optimizer opt = optimizer(model, run);
        LrScheduler scheduler = scheduler(opt, run);
        // A resume restores the model, the optimizer (buffers, steps, rates) and the schedule's step.
        int done = from != null ? Checkpoint.resume(resume, model, opt, scheduler) : 0;
        String runId = from != null ? from.runId() : run.runId();

        PrintWriter lines = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        lines.printf("%s: %d train, %d test samples; model %s, %s, %s; %s%s%n", loaded.name(), loaded.train().size(),
                loaded.test().size(), run.architecture(), run.optimizer().label(), run.schedule().label(),
                KernelInfo.active(), from != null ? "; resuming after epoch " + done + " of " + resume : "");
        Trainer trainer = new Trainer(model, opt, scheduler, loaded.train(), loaded.test(), loaded.classes(),
                run.batch(), run.seed());
        boolean bar = !quiet && !json && ProgressDisplay.terminal();
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = done + 1; epoch <= run.epochs(); epoch++) {
            EpochStats stats;
            try (ProgressDisplay progress = ProgressDisplay.start(bar, "epoch " + epoch, trainer.batchesPerEpoch())) {
                stats = trainer.epoch(epoch, progress);
            }
            history.add(stats);
            lines.println(stats.line(run.epochs()));
            if (save != null) {
                RunCheckpoint.save(save, run, runId, loaded.preprocessing(), model, opt, scheduler, epoch);
            }
        }
        if (plot != null) {
            CurvePlot.write(history, loaded.name() + " " + run.architecture().layers(), plot);
        }
        if (json) {
            spec.commandLine().getOut().println(summary(loaded, run, history));
        }
        return 0;
    }

    /** The hidden width of the default model, but for the digits (64). */
    private static final int DEFAULT_WIDTH = 256;
    /**
     * A run of at least this many samples (over all epochs) starts its first epoch only once
     * the kernels are compiled, or after {@link #WARM_START_LIMIT}: its first epoch would
     * otherwise run several times slower than the rest. Shorter runs start at once.
     */
    private static final long WARM_START_SAMPLES = 100_000;
    private static final java.time.Duration WARM_START_LIMIT = java.time.Duration.ofSeconds(5);

    /** The hidden layers when {@code --hidden} is not given: one of 64 units for the digits, of 256 otherwise. */
    private static int[] defaultHidden(String dataset) {
        return new int[] {dataset.equals("digits") ? 64 : DEFAULT_WIDTH};
    }

    /** Rejects numbers no run can train with, before anything is loaded. */
    private void validate() {
        if (batch <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("--batch and --epochs must be positive, got " + batch + " and " + epochs);
        }
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("--threads must be positive, got " + threads);
        }
        if (lr != null && !(lr > 0 && Double.isFinite(lr))) {
            throw new IllegalArgumentException("--lr must be a positive finite number, got " + lr);
        }
        if (hidden != null && !(hidden.length == 1 && hidden[0] == 0)) {
            for (int h : hidden) {
                if (h <= 0) {
                    throw new IllegalArgumentException("--hidden sizes must be positive (or a single 0 for none), got "
                            + Arrays.toString(hidden).replaceAll("[\\[\\] ]", ""));
                }
            }
        }
    }

    /**
     * Checks the explicit --momentum and --weight-decay for {@code name}, the run's optimizer:
     * it must have them, they must lie in their declared domains, and be finite; a momentum
     * of 1 or more makes the steps grow without bound.
     */
    private void checkHyperParameters(OptimizerKind name, String whose) {
        double[] values = {momentum, weightDecay != null ? weightDecay : 0};
        String[] options = {"--momentum", "--weight-decay"};
        for (int i = 0; i < options.length; i++) {
            if (!explicit(options[i])) {
                continue;
            }
            String hp = options[i].substring(2).replace('-', '_');
            if (!RunOptions.declares(name, hp)) {
                throw new IllegalArgumentException(options[i] + " does not apply to " + whose);
            }
            name.spec().check(hp, values[i]);
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(options[i] + " must be finite, got " + values[i]);
            }
        }
        if (explicit("--momentum")) {
            RunOptions.requireMomentumBelowOne(momentum, "--momentum");
        }
    }

    /** Checks, before training, that the checkpoint and the plot can be written where asked. */
    private void checkOutputs() throws IOException {
        if (save != null) {
            SafeTensors.checkWritable(save);
            SafeTensors.checkWritable(Checkpoint.optimizerFile(save));
        }
        if (plot != null) {
            SafeTensors.checkWritable(plot);
        }
    }

    /** Whether {@code option} was given on the command line (not just defaulted). */
    private boolean explicit(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The options of a new run on {@code dataset} with {@code architecture}: those given, and the optimizer's defaults. */
    private RunOptions freshOptions(String dataset, Architecture architecture) {
        OptimizerSpec os = optimizer.spec();
        double wd = !os.declares(OptimizerHelp.WEIGHT_DECAY) ? Double.NaN
                : weightDecay != null ? weightDecay : os.defaultOf(OptimizerHelp.WEIGHT_DECAY);
        return new RunOptions(dataset, data.csvOptions(), architecture, optimizer,
                lr != null ? lr : os.defaultLr(), os.declares(OptimizerHelp.MOMENTUM) ? momentum : Double.NaN, wd,
                schedule, epochs, batch, seed);
    }

    /**
     * The saved run's options, with {@code --epochs} raised when asked. Any other option given
     * must agree with the checkpoint: it cannot change a run half-way.
     */
    private RunOptions resumedOptions(RunCheckpoint from) {
        RunOptions saved = from.options();
        String file = resume.toString();
        agree("--dataset", data.dataset, saved.dataset(), file);
        if (saved.isCsv()) {
            agree("--label-column", data.labelColumn, saved.csv().labelColumn(), file);
            agree("--csv-header", data.csvHeader, saved.csv().header(), file);
        }
        Architecture a = saved.architecture();
        if (explicit("--hidden")) {
            agree("--hidden", hiddenLabel(hidden()), hiddenLabel(a.hidden()), file);
        }
        agree("--activation", activation, a.activation(), file);
        agree("--optimizer", optimizer, saved.optimizer(), file);
        agree("--lr", lr, saved.lr(), file);
        checkHyperParameters(saved.optimizer(), "the " + saved.optimizer().label() + " of " + file);
        agree("--momentum", momentum, saved.momentum(), file);
        agree("--weight-decay", weightDecay, saved.weightDecay(), file);
        agree("--schedule", schedule, saved.schedule(), file);
        agree("--batch", batch, saved.batch(), file);
        agree("--seed", seed, saved.seed(), file);
        int done = from.epochsDone();
        if (!explicit("--epochs")) {
            if (saved.epochs() <= done) {
                throw new IllegalArgumentException(file + " holds all " + done + " epochs of its run; pass --epochs above "
                        + done + " to train further");
            }
            return saved;
        }
        if (epochs <= done) {
            throw new IllegalArgumentException("--epochs " + epochs + " is not above the " + done + " epochs that " + file
                    + " already holds; --epochs counts them too, so pass more to train further");
        }
        if (epochs != saved.epochs() && saved.schedule() != SchedulePreset.NONE) {
            throw new IllegalArgumentException("--epochs " + epochs + " conflicts with " + file + ": its "
                    + saved.schedule().label() + " schedule spans " + saved.epochs() + " epochs and cannot be stretched");
        }
        return saved.withEpochs(epochs);
    }

    /** Where two preprocessings that differ first differ, as {@code mean of feature 3: 0.52 now, 0.49 then}. */
    static String firstDifference(Preprocessing now, Preprocessing then) {
        if (Float.compare(now.scale(), then.scale()) != 0) {
            return "scale: " + now.scale() + " now, " + then.scale() + " then";
        }
        String[] names = {"mean", "std"};
        float[][] a = {now.mean(), now.std()};
        float[][] b = {then.mean(), then.std()};
        for (int s = 0; s < names.length; s++) {
            if (a[s].length != b[s].length) {
                return a[s].length + " " + names[s] + " values now, " + b[s].length + " then";
            }
            for (int i = 0; i < a[s].length; i++) {
                if (Float.compare(a[s][i], b[s][i]) != 0) {
                    return names[s] + " of feature " + i + ": " + a[s][i] + " now, " + b[s][i] + " then";
                }
            }
        }
        throw new IllegalStateException("firstDifference: the two preprocessings are equal");
    }

    /** An error when {@code option} was given with a value other than the checkpoint's. */
    private void agree(String option, Object given, Object saved, String file) {
        if (explicit(option) && !String.valueOf(given).equals(String.valueOf(saved))) {
            throw new IllegalArgumentException(option + " " + label(given) + " conflicts with " + file + ", whose run has "
                    + option + " " + label(saved) + "; leave it out to resume");
        }
    }

    private static String label(Object value) {
        return switch (value) {
            case Labeled l -> l.label();
            // 1e-4 as 0.0001, not Java's 1.0E-4
            case Double d when Double.isFinite(d) -> new BigDecimal(d.toString()).stripTrailingZeros().toPlainString();
            default -> String.valueOf(value);
        };
    }

    /** The data set must have the inputs and classes of the model (a resumed run's data may have changed). */
    private void checkFits(Architecture architecture, DataSource.Loaded loaded) {
        if (architecture.inputs() != loaded.features() || architecture.classes() != loaded.classes()) {
            throw new IllegalArgumentException(loaded.name() + " has " + loaded.features() + " features and "
                    + loaded.classes() + " classes, but the model " + architecture + " takes " + architecture.inputs()
                    + " and gives " + architecture.classes());
        }
    }

    /** Hidden sizes as {@code --hidden} spells them: {@code 32,16}, or {@code 0} for none. */
    private static String hiddenLabel(int[] sizes) {
        return sizes.length == 0 ? "0" : Arrays.stream(sizes).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** {@code --hidden 0} means no hidden layer (softmax regression). */
    private int[] hidden() {
        return hidden.length == 1 && hidden[0] == 0 ? new int[0] : hidden;
    }

    /** The run's optimizer, with the run's momentum and weight decay where it declares them (they are NaN where not). */
    private static Optimizer optimizer(Sequential model, RunOptions run) {
        return run.optimizer().spec().create(model.parameters(), run.lr(),
                Map.of(OptimizerHelp.MOMENTUM, run.momentum(), OptimizerHelp.WEIGHT_DECAY, run.weightDecay()));
    }

    /** The scheduler of the run's schedule, stepped once per epoch; none for a constant rate. */
    private static LrScheduler scheduler(Optimizer opt, RunOptions run) {
        SchedulePreset preset = run.schedule();
        return preset == SchedulePreset.NONE ? null : new LrScheduler(opt, preset.forEpochs(run.epochs()));
    }

    /** The JSON line: the options the run used (from the checkpoint when resumed) and its results. */
    private static String summary(DataSource.Loaded loaded, RunOptions run, List<EpochStats> history) {
        JsonLine j = new JsonLine().put("dataset", loaded.name()).put("model", run.architecture().layers())
                .put("activation", run.architecture().activation().label()).put("optimizer", run.optimizer().label())
                .put("lr", run.lr());
        if (RunOptions.declares(run.optimizer(), OptimizerHelp.MOMENTUM)) {
            j.put("momentum", run.momentum());
        }
        if (RunOptions.declares(run.optimizer(), OptimizerHelp.WEIGHT_DECAY)) {
            j.put("weight_decay", run.weightDecay());
        }
        j.put("schedule", run.schedule().label())
                .put("batch", run.batch()).put("epochs", run.epochs()).put("seed", run.seed())
                .put("kernels", KernelInfo.active().name()).put("threads", KernelInfo.active().threads());
        EpochStats last = history.getLast();
        double seconds = history.stream().mapToDouble(EpochStats::seconds).sum();
        long samples = (long) loaded.train().size() * history.size();
        j.put("epochs_trained", history.size()).put("loss", last.loss()).put("train_accuracy", last.trainAccuracy())
                .put("test_accuracy", last.testAccuracy()).put("train_seconds", seconds)
                .put("samples_per_second", samples / seconds);
        return j.toString();
    }
}
