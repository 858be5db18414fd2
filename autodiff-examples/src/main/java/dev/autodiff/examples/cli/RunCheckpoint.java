package dev.autodiff.examples.cli;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trainer checkpoint: an nn {@link Checkpoint} (the model's state dict under PyTorch's
 * names in {@code run.safetensors}, the optimizer's state in
 * {@code run.optimizer.safetensors}) whose metadata also holds what the trainer needs to
 * rebuild and resume the run: the architecture, the data set, the seed, the epochs done
 * and the optimizer's name.
 */
record RunCheckpoint(Architecture architecture, Map<String, Tensor> model, OptimizerState optimizer,
                     String dataset, long seed, int epochsDone, String optimizerName) {

    private static final String TRAINER_KEY = "autodiff.trainer";
    private static final String TRAINER_VERSION = "1";

    /** Writes the state of a training run (each file atomically). */
    static void save(Path file, Architecture architecture, Module model, Optimizer optimizer,
                     Choice.OptimizerName name, String dataset, long seed, int epochsDone) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(TRAINER_KEY, TRAINER_VERSION);
        meta.putAll(architecture.metadata());
        meta.put("dataset", dataset);
        meta.put("seed", Long.toString(seed));
        meta.put("epochs", Integer.toString(epochsDone));
        meta.put("optimizer.name", name.label());
        Checkpoint.save(file, model, optimizer, meta);
    }

    /** Reads a checkpoint written by {@link #save}. */
    static RunCheckpoint load(Path file) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(file);
        Map<String, String> meta = checkpoint.metadata();
        String source = file.toString();
        if (!TRAINER_VERSION.equals(meta.get(TRAINER_KEY))) {
            throw new IllegalArgumentException(source + ": not an autodiff trainer checkpoint (no '" + TRAINER_KEY
                    + "' = '" + TRAINER_VERSION + "' in its metadata)");
        }
        if (checkpoint.optimizer() == null) {
            throw new IllegalArgumentException(source + ": the optimizer state "
                    + Checkpoint.optimizerFile(file).getFileName() + " is missing beside it");
        }
        try {
            return new RunCheckpoint(Architecture.fromMetadata(meta, source), checkpoint.model(), checkpoint.optimizer(),
                    Architecture.require(meta, "dataset", source),
                    Long.parseLong(Architecture.require(meta, "seed", source)),
                    Integer.parseInt(Architecture.require(meta, "epochs", source)),
                    Architecture.require(meta, "optimizer.name", source));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": bad number in the metadata: " + e.getMessage());
        }
    }
}
