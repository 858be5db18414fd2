package dev.autodiff.examples.cli;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.io.SafeTensors;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A trainer checkpoint in one safetensors file: the model's state dict under its own
 * names ({@code 0.weight}, as PyTorch names a {@code Sequential}), the optimizer's buffers
 * under {@code optimizer.state.*}, and in the metadata the architecture, the data set,
 * the seed, the epochs done and the optimizer's hyper-parameters. A PyTorch user loads
 * the model by dropping the keys that start with {@code optimizer.}.
 */
record Checkpoint(Architecture architecture, Map<String, Tensor> model, OptimizerState optimizer,
                  String dataset, long seed, int epochsDone, String optimizerName) {

    private static final String FORMAT = "autodiff-cli-checkpoint/1";
    private static final String OPTIMIZER_PREFIX = "optimizer.";

    /** Captures the current state of a training run. */
    static Checkpoint of(Architecture architecture, Module model, Optimizer optimizer, Choice.OptimizerName name,
                         String dataset, long seed, int epochsDone) {
        return new Checkpoint(architecture, model.stateDict(), optimizer.stateDict(), dataset, seed, epochsDone,
                name.label());
    }

    /** Writes the checkpoint (atomically: a crash leaves the old file or the new one). */
    void save(Path file) throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(model);
        optimizer.tensors().forEach((k, v) -> tensors.put(OPTIMIZER_PREFIX + k, v));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.putAll(architecture.metadata());
        meta.put("dataset", dataset);
        meta.put("seed", Long.toString(seed));
        meta.put("epochs", Integer.toString(epochsDone));
        meta.put("optimizer.name", optimizerName);
        meta.putAll(optimizer.metadata());
        SafeTensors.write(file, tensors, meta);
    }

    /** Reads a checkpoint written by {@link #save}. */
    static Checkpoint load(Path file) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(file);
        Map<String, String> meta = contents.metadata();
        String source = file.toString();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new IllegalArgumentException(source + ": not an autodiff trainer checkpoint (format '"
                    + meta.get("format") + "', expected '" + FORMAT + "')");
        }
        Map<String, Tensor> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizerTensors = new LinkedHashMap<>();
        contents.tensors().forEach((k, v) -> {
            if (k.startsWith(OPTIMIZER_PREFIX)) {
                optimizerTensors.put(k.substring(OPTIMIZER_PREFIX.length()), v);
            } else {
                model.put(k, v);
            }
        });
        try {
            return new Checkpoint(Architecture.fromMetadata(meta, source), model,
                    OptimizerState.from(optimizerTensors, meta), Architecture.require(meta, "dataset", source),
                    Long.parseLong(Architecture.require(meta, "seed", source)),
                    Integer.parseInt(Architecture.require(meta, "epochs", source)),
                    Architecture.require(meta, "optimizer.name", source));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": bad number in the metadata: " + e.getMessage());
        }
    }
}
