package dev.autodiff.nn;

import dev.autodiff.Tensor;
import dev.autodiff.nn.io.SafeTensors;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
 * Each file is written to a temporary file, forced to disk and renamed over the target.
 * The optimizer file is written first, so a crash in between leaves a model file that is
 * one save older than the optimizer file, never a torn file. Callers may add their own
 * metadata (such as the architecture a trainer needs to rebuild the model) to the model
 * file; {@link #read} returns it with the tensors.
 *
 * @param model the model's state dict
 * @param optimizer the optimizer state, or null when the checkpoint has none
 * @param metadata the model file's metadata
 */
public record Checkpoint(Map<String, Tensor> model, OptimizerState optimizer, Map<String, String> metadata) {
    private static final String MODEL_SUFFIX = ".safetensors";
    private static final String OPTIMIZER_SUFFIX = ".optimizer.safetensors";

    /** The optimizer file that accompanies {@code modelFile}. */
    public static Path optimizerFile(Path modelFile) {
        String name = modelFile.getFileName().toString();
        String stem = name.endsWith(MODEL_SUFFIX) ? name.substring(0, name.length() - MODEL_SUFFIX.length()) : name;
        return modelFile.resolveSibling(stem + OPTIMIZER_SUFFIX);
    }

    /** Writes the model's state dict to {@code modelFile}. */
    public static void save(Path modelFile, Module model) throws IOException {
        save(modelFile, model, null, Map.of());
    }

    /** Writes the optimizer state to {@link #optimizerFile} and then the model's state dict to {@code modelFile}. */
    public static void save(Path modelFile, Module model, Optimizer optimizer) throws IOException {
        save(modelFile, model, optimizer, Map.of());
    }

    /**
     * As {@link #save(Path, Module, Optimizer)}, with extra metadata in the model file;
     * {@code optimizer} may be null.
     */
    public static void save(Path modelFile, Module model, Optimizer optimizer, Map<String, String> metadata)
            throws IOException {
        if (optimizer != null) {
            OptimizerState state = optimizer.stateDict();
            SafeTensors.write(optimizerFile(modelFile), state.tensors(), state.metadata());
        }
        Map<String, String> meta = new LinkedHashMap<>(metadata);
        meta.put("format", "pt");
        SafeTensors.write(modelFile, model.stateDict(), meta);
    }

    /** Reads a checkpoint without a model: the state dict, the optimizer state if its file exists, and the metadata. */
    public static Checkpoint read(Path modelFile) throws IOException {
        SafeTensors.Contents contents = SafeTensors.read(modelFile);
        Path optimizerFile = optimizerFile(modelFile);
        OptimizerState state = null;
        if (Files.exists(optimizerFile)) {
            SafeTensors.Contents saved = SafeTensors.read(optimizerFile);
            state = OptimizerState.from(saved.tensors(), saved.metadata());
        }
        return new Checkpoint(contents.tensors(), state, contents.metadata());
    }

    /** Loads {@code modelFile} into {@code model}, strictly: every name must match (see {@link Module#loadStateDict}). */
    public static void load(Path modelFile, Module model) throws IOException {
        model.loadStateDict(SafeTensors.read(modelFile).tensors(), true);
    }

    /** Loads the model as {@link #load(Path, Module)} and the optimizer state from {@link #optimizerFile}. */
    public static void load(Path modelFile, Module model, Optimizer optimizer) throws IOException {
        Checkpoint checkpoint = read(modelFile);
        if (checkpoint.optimizer() == null) {
            throw new IOException("Checkpoint.load: " + modelFile + " has no optimizer state; expected "
                    + optimizerFile(modelFile));
        }
        model.loadStateDict(checkpoint.model(), true);
        optimizer.loadStateDict(checkpoint.optimizer());
    }
}
