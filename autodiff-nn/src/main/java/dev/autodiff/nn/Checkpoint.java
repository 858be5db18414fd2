package dev.autodiff.nn;

import dev.autodiff.Tensor;
import dev.autodiff.nn.io.FileFormatException;
import dev.autodiff.nn.io.SafeTensors;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerState;
import dev.autodiff.nn.optim.Scheduler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves and restores training state as safetensors files.
 *
 * <ul>
 * <li>The model file holds exactly {@link Module#stateDict()}: PyTorch's names and
 * layouts, float32, metadata {@code format = pt}. Python loads it into the same
 * architecture with {@code model.load_state_dict(tensors)}; it is what
 * {@code safetensors.torch.save_file(model.state_dict(), ...)} would write.</li>
 * <li>The optimizer state goes to a second file beside it, {@link #optimizerFile}
 * ({@code model.safetensors} → {@code model.optimizer.safetensors}): its buffers as
 * tensors named {@code state.<index>.<name>} and its type, step counts and
 * hyper-parameters as metadata (see {@link OptimizerState}). Keeping it apart leaves the
 * model file loadable by name with {@code strict=True}.</li>
 * </ul>
 *
 * <p>A training state ({@link #save(Path, Module, Optimizer, Scheduler, int)},
 * {@link #resume}) adds the learning-rate scheduler's state to the optimizer file's
 * metadata ({@code scheduler} = its kind, {@code scheduler.<name>} = its numbers) and the
 * epochs done to the save tag of both, so that training continued from it is the same,
 * bit for bit, as training that never stopped: model, optimizer (buffers, step counts and
 * every group's hyper-parameters) and scheduler come back exactly. Random generators the
 * caller holds (a {@code Dropout}'s, say) are not part of it; a {@code DataLoader}'s order
 * depends only on its seed and the epoch ({@code setEpoch}).
 *
 * <p>Each file is written to a temporary file, forced to disk and renamed over the target.
 * The optimizer file is written first, so a crash in between leaves a model file that is
 * one save older than the optimizer file, never a torn file; a {@link SaveTag} written into
 * both files lets {@link #read} and {@link #load} refuse such a pair. Callers may add their
 * own metadata (such as the architecture a trainer needs to rebuild the model) to the model
 * file; {@link #read} returns it with the tensors. Loading checks the names and shapes in a
 * file's header against the model before any tensor is read.
 *
 * @param model the model's state dict
 * @param optimizer the optimizer state, or null when the checkpoint has none
 * @param metadata the model file's metadata
 */
public record Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, Map<String, String> metadata) {
    private static final String MODEL_SUFFIX = ".safetensors";
    private static final String OPTIMIZER_SUFFIX = ".optimizer.safetensors";
    /** How {@link OptimizerState#tensors()} names a buffer: {@code state.<parameter index>.<name>}. */
    private static final Pattern BUFFER_NAME = Pattern.compile("state\\.(\\d{1,9})\\..+");
    /** The kind of scheduler whose state the optimizer file holds, and the prefix of its numbers. */
    private static final String SCHEDULER_KEY = "scheduler";
    private static final String SCHEDULER_PREFIX = "scheduler.";

    /**
     * Which save the two files of a checkpoint belong to: a run's identifier and the epoch
     * saved. Both files carry it; a model file and an optimizer file whose tags differ come
     * from different saves (a crash between the two writes) and are not loaded together.
     *
     * @param run identifies the training run, the same for every save of it
     * @param epoch the epochs done when the checkpoint was saved
     */
    public record SaveTag(String run, int epoch) {
        /** Metadata key of the run identifier, in both files. */
        public static final String RUN_KEY = "autodiff.run";
        /** Metadata key of the epoch, in both files. */
        public static final String EPOCH_KEY = "autodiff.epoch";

        /** Checks the values. */
        public SaveTag {
            Objects.requireNonNull(run, "run");
            if (epoch < 0) {
                throw new IllegalArgumentException("SaveTag: epoch " + epoch + " is negative");
            }
        }

        /** The tag in {@code metadata}, or null when it has none. */
        public static SaveTag from(Map<String, String> metadata, Path file) throws FileFormatException {
            String run = metadata.get(RUN_KEY);
            String epoch = metadata.get(EPOCH_KEY);
            if (run == null && epoch == null) {
                return null;
            }
            try {
                return new SaveTag(Objects.requireNonNull(run, RUN_KEY), Integer.parseInt(epoch));
            } catch (RuntimeException e) {
                throw new FileFormatException(file, "bad save tag in the metadata: " + RUN_KEY + " = " + run + ", "
                        + EPOCH_KEY + " = " + epoch);
            }
        }

        Map<String, String> metadata() {
            return Map.of(RUN_KEY, run, EPOCH_KEY, Integer.toString(epoch));
        }

        @Override
        public String toString() {
            return "run " + run + " at epoch " + epoch;
        }
    }

    /** The optimizer file that accompanies {@code modelFile}. */
    public static Path optimizerFile(Path modelFile) {
        String name = modelFile.getFileName().toString();
        String stem = name.endsWith(MODEL_SUFFIX) ? name.substring(0, name.length() - MODEL_SUFFIX.length()) : name;
        return modelFile.resolveSibling(stem + OPTIMIZER_SUFFIX);
    }

    /** Writes the model's state dict to {@code modelFile}. */
    public static void save(Path modelFile, Module model) throws IOException {
        save(modelFile, model, null, Map.of(), null);
    }

    /** Writes the optimizer state to {@link #optimizerFile} and then the model's state dict to {@code modelFile}. */
    public static void save(Path modelFile, Module model, Optimizer optimizer) throws IOException {
        save(modelFile, model, optimizer, Map.of(), null);
    }

    /** As {@link #save(Path, Module, Optimizer)}, with extra metadata in the model file; {@code optimizer} may be null. */
    public static void save(Path modelFile, Module model, Optimizer optimizer, Map<String, String> metadata)
            throws IOException {
        save(modelFile, model, optimizer, metadata, null);
    }

    /**
     * As {@link #save(Path, Module, Optimizer)}, with extra metadata in the model file and
     * {@code tag} in both; {@code optimizer} and {@code tag} may be null.
     */
    public static void save(Path modelFile, Module model, Optimizer optimizer, Map<String, String> metadata,
                            SaveTag tag) throws IOException {
        save(modelFile, model, optimizer, null, metadata, tag);
    }

    /**
     * Writes a training state after {@code epoch} epochs: the model, the optimizer, and the
     * scheduler's state (when there is one) in the optimizer file; {@link #resume} restores
     * it. The save tag's run id is empty.
     */
    public static void save(Path modelFile, Module model, Optimizer optimizer, Scheduler scheduler, int epoch)
            throws IOException {
        save(modelFile, model, optimizer, scheduler, Map.of(), new SaveTag("", epoch));
    }

    /**
     * Writes the optimizer's state and the scheduler's (either may be null, the scheduler
     * only with an optimizer) to {@link #optimizerFile}, then the model's state dict with
     * extra metadata to {@code modelFile}; {@code tag}, when given, goes into both.
     */
    public static void save(Path modelFile, Module model, Optimizer optimizer, Scheduler scheduler,
                            Map<String, String> metadata, SaveTag tag) throws IOException {
        if (scheduler != null && optimizer == null) {
            throw new IllegalArgumentException("Checkpoint.save: a scheduler's state goes with its optimizer's; pass both");
        }
        Map<String, String> tagged = tag == null ? Map.of() : tag.metadata();
        SafeTensors.checkWritable(modelFile);
        if (optimizer != null) {
            OptimizerState state = optimizer.stateDict();
            Map<String, String> meta = new LinkedHashMap<>(state.metadata());
            if (scheduler != null) {
                meta.put(SCHEDULER_KEY, scheduler.kind());
                scheduler.stateDict().forEach((name, value) -> meta.put(SCHEDULER_PREFIX + name, Double.toString(value)));
            }
            meta.putAll(tagged);
            SafeTensors.write(optimizerFile(modelFile), state.tensors(), meta);
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.putAll(tagged);
        meta.put("format", "pt");
        SafeTensors.write(modelFile, model.stateDict(), meta);
    }

    /**
     * Reads a checkpoint without a model: the state dict, the optimizer state if its file
     * exists, and the metadata. A pair whose {@link SaveTag}s differ is refused.
     */
    public static Checkpoint read(Path modelFile) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(modelFile);
        return new Checkpoint(contents.tensors(), readOptimizer(modelFile, contents.metadata()), contents.metadata());
    }

    /** The optimizer state beside {@code modelFile}, or null; its tag must match the model file's. */
    private static OptimizerState readOptimizer(Path modelFile, Map<String, String> modelMetadata) throws IOException {
        Path optimizerFile = optimizerFile(modelFile);
        if (!Files.exists(optimizerFile)) {
            return null;
        }
        SafeTensors.Contents saved = SafeTensors.read(optimizerFile);
        SaveTag modelTag = SaveTag.from(modelMetadata, modelFile);
        SaveTag optimizerTag = SaveTag.from(saved.metadata(), optimizerFile);
        if (!Objects.equals(modelTag, optimizerTag)) {
            throw new FileFormatException(modelFile, "holds " + (modelTag == null ? "no save tag" : modelTag) + " but "
                    + optimizerFile.getFileName() + " holds " + (optimizerTag == null ? "no save tag" : optimizerTag)
                    + ": the two files come from different saves (was a save interrupted?)");
        }
        try {
            return OptimizerState.from(saved.tensors(), saved.metadata());
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(optimizerFile, e.getMessage());
        }
    }

    /**
     * Loads {@code modelFile} into {@code model}, strictly: every name must match (see
     * {@link Module#loadStateDict}). The names and shapes in the header are checked before
     * any tensor is read; a mismatch is a {@link FileFormatException} that names the file and
     * every difference on one line.
     *
     * @return the model file's metadata
     */
    public static Map<String, String> load(Path modelFile, Module model) throws IOException {
        checkFits(modelFile, model);
        SafeTensors.Contents contents = SafeTensors.read(modelFile);
        model.loadStateDict(contents.tensors(), true);
        return contents.metadata();
    }

    /** Loads the model as {@link #load(Path, Module)} and the optimizer state from {@link #optimizerFile}. */
    public static Map<String, String> load(Path modelFile, Module model, Optimizer optimizer) throws IOException {
        Path optimizerFile = optimizerFile(modelFile);
        if (!Files.exists(optimizerFile)) {
            throw new FileFormatException(modelFile, "has no optimizer state: " + optimizerFile.getFileName()
                    + " is missing beside it");
        }
        checkFits(modelFile, model);
        checkFits(optimizerFile, optimizer);
        Checkpoint checkpoint = read(modelFile);
        model.loadStateDict(checkpoint.model(), true);
        try {
            optimizer.loadStateDict(checkpoint.optimizer());
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(optimizerFile, e.getMessage());
        }
        return checkpoint.metadata();
    }

    /**
     * Restores a training state written by {@link #save(Path, Module, Optimizer, Scheduler, int)}
     * (or the general form with a tag): the model and the optimizer as
     * {@link #load(Path, Module, Optimizer)} does, then the scheduler's state, which the file
     * must hold, of the same kind, exactly when {@code scheduler} is not null.
     *
     * @return the epochs done, from the save tag
     */
    public static int resume(Path modelFile, Module model, Optimizer optimizer, Scheduler scheduler) throws IOException {
        SaveTag tag = SaveTag.from(SafeTensors.readHeader(modelFile).metadata(), modelFile);
        if (tag == null) {
            throw new FileFormatException(modelFile, "holds no training state: it has no epoch (metadata "
                    + SaveTag.EPOCH_KEY + "); load it with Checkpoint.load");
        }
        Path optimizerFile = optimizerFile(modelFile);
        Map<String, Double> schedulerState = schedulerState(optimizerFile, scheduler);
        load(modelFile, model, optimizer);
        if (scheduler != null) {
            try {
                scheduler.loadStateDict(schedulerState);
            } catch (IllegalArgumentException e) {
                throw new FileFormatException(optimizerFile, e.getMessage());
            }
        }
        return tag.epoch();
    }

    /** The scheduler state in the optimizer file's header, checked against the scheduler given (or its absence). */
    private static Map<String, Double> schedulerState(Path optimizerFile, Scheduler scheduler) throws IOException {
        if (!Files.exists(optimizerFile)) {
            return Map.of(); // load() reports the missing file
        }
        Map<String, String> meta = SafeTensors.readHeader(optimizerFile).metadata();
        String kind = meta.get(SCHEDULER_KEY);
        if (scheduler == null && kind != null) {
            throw new FileFormatException(optimizerFile, "holds the state of a " + kind + ": pass the scheduler to resume "
                    + "it, or training would go on with another learning rate than the saved run's");
        }
        if (scheduler != null && !scheduler.kind().equals(kind)) {
            throw new FileFormatException(optimizerFile, (kind == null ? "holds no scheduler state" : "holds the state of a "
                    + kind) + ", not of the " + scheduler.kind() + " given");
        }
        Map<String, Double> state = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (e.getKey().startsWith(SCHEDULER_PREFIX)) {
                try {
                    state.put(e.getKey().substring(SCHEDULER_PREFIX.length()), Double.parseDouble(e.getValue()));
                } catch (NumberFormatException bad) {
                    throw new FileFormatException(optimizerFile, "bad scheduler state: " + e.getKey() + " = " + e.getValue());
                }
            }
        }
        return state;
    }

    /**
     * Checks, from its header, that each buffer of the optimizer file ({@code state.<index>.<name>})
     * belongs to a parameter of {@code optimizer} and has its number of values.
     */
    private static void checkFits(Path optimizerFile, Optimizer optimizer) throws IOException {
        List<Tensor> params = optimizer.parameters();
        for (Map.Entry<String, int[]> e : SafeTensors.readHeader(optimizerFile).shapes().entrySet()) {
            Matcher m = BUFFER_NAME.matcher(e.getKey());
            int index = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            long size = Arrays.stream(e.getValue()).asLongStream().reduce(1, Math::multiplyExact);
            if (index < 0 || index >= params.size() || size != params.get(index).size()) {
                throw new FileFormatException(optimizerFile, "buffer '" + e.getKey() + "' of shape "
                        + Arrays.toString(e.getValue()) + " fits none of the " + params.size()
                        + " parameters of the " + optimizer.getClass().getSimpleName());
            }
        }
    }

    /** Checks the names and shapes of the header of {@code modelFile} against {@code model}. */
    private static void checkFits(Path modelFile, Module model) throws IOException {
        SafeTensors.Header header = SafeTensors.readHeader(modelFile);
        try {
            model.checkStateDict(header.shapes(), true);
        } catch (StateDictException e) {
            FileFormatException misfit = new FileFormatException(modelFile, "does not fit the "
                    + model.getClass().getSimpleName() + " model: " + e.problems());
            misfit.initCause(e);
            throw misfit;
        }
    }
}
