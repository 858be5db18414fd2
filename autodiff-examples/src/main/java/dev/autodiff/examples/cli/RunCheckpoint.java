package dev.autodiff.examples.cli;

import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.io.FileFormatException;
import dev.autodiff.nn.io.SafeTensors;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.Scheduler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trainer checkpoint: an nn {@link Checkpoint} training state (the model's state dict
 * under PyTorch's names in {@code run.safetensors}, the optimizer's and the learning-rate
 * schedule's state in {@code run.optimizer.safetensors}, both tagged with the run id and
 * the epoch) whose
 * model-file metadata also holds what it takes to use the model and to resume the run: the
 * {@link RunOptions}, the epochs done and the input {@link Preprocessing}. Only the header
 * is read here; the tensors are loaded into a model built from it.
 */
record RunCheckpoint(RunOptions options, String runId, int epochsDone, Preprocessing preprocessing) {

    private static final String TRAINER_KEY = "autodiff.trainer";
    private static final String TRAINER_VERSION = "1";

    /** Writes the state of a training run after {@code epochsDone} epochs (each file atomically); {@code scheduler} may be null. */
    static void save(Path file, RunOptions options, String runId, Preprocessing preprocessing, Module model,
                     Optimizer optimizer, Scheduler scheduler, int epochsDone) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(TRAINER_KEY, TRAINER_VERSION);
        meta.putAll(options.metadata());
        meta.put(Preprocessing.METADATA_KEY, preprocessing.toJson());
        Checkpoint.save(file, model, optimizer, scheduler, meta, new Checkpoint.SaveTag(runId, epochsDone));
    }

    /** Reads the header of a checkpoint written by {@link #save}. */
    static RunCheckpoint read(Path file) throws IOException {
        Map<String, String> meta = SafeTensors.readHeader(file).metadata();
        String source = file.toString();
        if (!TRAINER_VERSION.equals(meta.get(TRAINER_KEY))) {
            throw new IllegalArgumentException(source + ": not a checkpoint of autodiff train (no '" + TRAINER_KEY
                    + "' = '" + TRAINER_VERSION + "' in its metadata), so it cannot be resumed");
        }
        Checkpoint.SaveTag tag = Checkpoint.SaveTag.from(meta, file);
        if (tag == null) {
            throw new FileFormatException(file, "has no run id and epoch (metadata " + Checkpoint.SaveTag.RUN_KEY
                    + ", " + Checkpoint.SaveTag.EPOCH_KEY + ")");
        }
        RunOptions options = RunOptions.fromMetadata(new StoredOptions(meta, source));
        return new RunCheckpoint(options, tag.run(), tag.epoch(), preprocessing(meta, file));
    }

    /** The preprocessing in checkpoint metadata, or null; a malformed one names the file. */
    static Preprocessing preprocessing(Map<String, String> meta, Path file) throws FileFormatException {
        try {
            return Preprocessing.fromMetadata(meta);
        } catch (IllegalArgumentException e) {
            throw new FileFormatException(file, e.getMessage());
        }
    }
}
