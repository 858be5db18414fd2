package dev.autodiff.examples.cli;

import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.LrSchedule;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

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
    Choice.Activation activation;

    // The help of the four optimizer options is written from the optimizers' declarations: OptimizerHelp.
    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "<name>", descriptionKey = OptimizerHelp.OPTIMIZER)
    Choice.OptimizerName optimizer;

    @Option(names = "--lr", paramLabel = "<rate>", descriptionKey = OptimizerHelp.LR)
    Double lr;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "<m>", descriptionKey = OptimizerHelp.MOMENTUM)
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "<wd>", descriptionKey = OptimizerHelp.WEIGHT_DECAY)
    Double weightDecay;

    @Option(names = "--schedule", defaultValue = "none", paramLabel = "<name>",
            description = "learning-rate schedule per epoch: none, step (x0.1 every third of the run), cosine, "
                    + "or warmup-cosine (linear warm-up over a tenth of the run) (default: ${DEFAULT-VALUE})")
    Choice.Schedule schedule;

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

    @Option(names = "--resume", paramLabel = "<file>", description = "continue from a checkpoint: its model, optimizer state and epoch")
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
        if (threads != null) {
            // Read once, when the kernels load: that is why this comes before any tensor work.
            System.setProperty("autodiff.threads", Integer.toString(threads));
        }
        RunCheckpoint from = resume != null ? RunCheckpoint.load(resume) : null;
        long runSeed = from != null ? from.seed() : seed;
        DataSource.Loaded loaded;
        try (var warmup = KernelWarmup.start(batch, hidden != null && hidden.length > 0 ? Math.max(1, hidden[0]) : 256)) {
            loaded = data.load(from != null ? from.dataset() : "digits", runSeed);
        }
        if (from != null && data.dataset != null && !data.dataset.equals(from.dataset())) {
            throw new IllegalArgumentException(resume + " was trained on " + from.dataset() + ", not on " + data.dataset);
        }
        Architecture architecture = architecture(loaded, from);

        Sequential model = architecture.build(runSeed);
        Optimizer opt = optimizer(model);
        int done = 0;
        if (from != null) {
            model.loadStateDict(from.model(), true);
            if (!from.optimizerName().equals(optimizer.label())) {
                throw new IllegalArgumentException(resume + " holds the state of " + from.optimizerName()
                        + ", not of " + optimizer.label() + "; pass --optimizer " + from.optimizerName());
            }
            opt.loadStateDict(from.optimizer());
            opt.setLearningRate(lr != null ? lr : optimizer.spec().defaultLr());
            done = from.epochsDone();
        }
        LrScheduler scheduler = scheduler(opt);
        for (int e = 0; e < done && scheduler != null; e++) {
            scheduler.step();
        }

        PrintWriter lines = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
        lines.printf("%s: %d train, %d test samples; model %s, %s, %s; %s%n", loaded.name(), loaded.train().size(),
                loaded.test().size(), architecture, optimizer.label(), schedule.label(), KernelRegistry.describe());
        Trainer trainer = new Trainer(model, opt, scheduler, loaded.train(), loaded.test(), architecture.classes(),
                batch, runSeed);
        boolean bar = !quiet && !json && ProgressDisplay.terminal();
        List<EpochStats> history = new ArrayList<>();
        for (int epoch = done + 1; epoch <= epochs; epoch++) {
            EpochStats stats;
            try (ProgressDisplay progress = ProgressDisplay.start(bar, "epoch " + epoch, trainer.batchesPerEpoch())) {
                stats = trainer.epoch(epoch, progress);
            }
            history.add(stats);
            lines.println(stats.line(epochs));
            if (save != null) {
                RunCheckpoint.save(save, architecture, model, opt, optimizer, loaded.name(), runSeed, epoch);
            }
        }
        if (plot != null && !history.isEmpty()) {
            CurvePlot.write(history, loaded.name() + " " + architecture.layers(), plot);
        }
        if (json) {
            spec.commandLine().getOut().println(summary(loaded, architecture, history));
        }
        return 0;
    }

    private void validate() {
        if (batch <= 0 || epochs <= 0) {
            throw new IllegalArgumentException("--batch and --epochs must be positive, got " + batch + " and " + epochs);
        }
        if (threads != null && threads <= 0) {
            throw new IllegalArgumentException("--threads must be positive, got " + threads);
        }
        if (lr != null && !(lr > 0)) {
            throw new IllegalArgumentException("--lr must be positive, got " + lr);
        }
    }

    private Architecture architecture(DataSource.Loaded loaded, RunCheckpoint from) {
        if (from != null) {
            Architecture saved = from.architecture();
            if (hidden != null && !saved.equals(new Architecture(saved.inputs(), hidden(), activation, saved.classes()))) {
                throw new IllegalArgumentException(resume + " holds a " + saved + " model; drop --hidden to resume it");
            }
            return saved;
        }
        int[] sizes = hidden != null ? hidden() : new int[] {loaded.name().equals("digits") ? 64 : 256};
        return new Architecture(loaded.features(), sizes, activation, loaded.classes());
    }

    /** {@code --hidden 0} means no hidden layer (softmax regression). */
    private int[] hidden() {
        return hidden.length == 1 && hidden[0] == 0 ? new int[0] : hidden;
    }

    /** The chosen optimizer; --momentum applies to those that have one, --weight-decay replaces the default. */
    private Optimizer optimizer(Sequential model) {
        OptimizerSpec spec = optimizer.spec();
        Optimizer opt = spec.create(model.parameters(), lr != null ? lr : spec.defaultLr());
        if (spec.declares(OptimizerHelp.MOMENTUM)) {
            opt.set(OptimizerHelp.MOMENTUM, momentum);
        }
        if (weightDecay != null) {
            opt.set(OptimizerHelp.WEIGHT_DECAY, weightDecay);
        }
        return opt;
    }

    private LrScheduler scheduler(Optimizer opt) {
        LrSchedule s = switch (schedule) {
            case NONE -> null;
            case STEP -> LrSchedule.step(Math.max(1, epochs / 3), 0.1);
            case COSINE -> LrSchedule.cosine(epochs, 0);
            case WARMUP_COSINE -> {
                int warmup = Math.max(1, epochs / 10);
                yield warmup < epochs ? LrSchedule.warmupCosine(warmup, epochs, 0.1, 0) : LrSchedule.linear(0.1, 1, warmup);
            }
        };
        return s == null ? null : new LrScheduler(opt, s);
    }

    private String summary(DataSource.Loaded loaded, Architecture architecture, List<EpochStats> history) {
        JsonLine j = new JsonLine().put("dataset", loaded.name()).put("model", architecture.layers())
                .put("activation", activation.label()).put("optimizer", optimizer.label())
                .put("batch", batch).put("epochs", epochs).put("seed", seed)
                .put("kernels", KernelRegistry.active().name()).put("threads", KernelRegistry.active().threads());
        if (!history.isEmpty()) {
            EpochStats last = history.getLast();
            double seconds = history.stream().mapToDouble(EpochStats::seconds).sum();
            long samples = (long) loaded.train().size() * history.size();
            j.put("loss", last.loss()).put("train_accuracy", last.trainAccuracy())
                    .put("test_accuracy", last.testAccuracy()).put("train_seconds", seconds)
                    .put("samples_per_second", samples / seconds);
        }
        return j.toString();
    }
}
