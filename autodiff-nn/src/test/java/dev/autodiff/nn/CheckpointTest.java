package dev.autodiff.nn;

import dev.autodiff.Tensor;
import dev.autodiff.nn.io.FileFormatException;
import dev.autodiff.nn.io.SafeTensors;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Saving and resuming training: the resumed run continues exactly where the saved one was. */
class CheckpointTest {
    @TempDir
    Path dir;

    static final Tensor X = Tensor.randn(new SplittableRandom(1), 16, 4);
    static final int[] Y = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0};

    static void train(Module model, Optimizer opt, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            Losses.crossEntropy(model.forward(X), Y).backward();
            opt.step();
        }
    }

    @Test
    void resumedTrainingMatchesUninterruptedTraining() throws IOException {
        Sequential a = ModuleTest.mlp(1);
        Optimizer optA = new Adam(a.parameters(), 0.01).amsgrad(true);
        train(a, optA, 3);
        Path file = dir.resolve("model.safetensors");
        Checkpoint.save(file, a, optA);
        assertTrue(Files.exists(dir.resolve("model.optimizer.safetensors")));

        Sequential b = ModuleTest.mlp(7);
        Optimizer optB = new Adam(b.parameters(), 0.5);
        Checkpoint.load(file, b, optB);
        assertEquals(0.01, optB.learningRate());
        train(a, optA, 2);
        train(b, optB, 2);
        a.stateDict().forEach((name, t) -> assertArrayEquals(t.toArray(), b.stateDict().get(name).toArray(), name));
    }

    @Test
    void modelFileHoldsOnlyTheStateDictAndOptimizerFileItsState() throws IOException {
        Sequential m = ModuleTest.mlp(1);
        Optimizer opt = new SGD(m.parameters(), 0.1).momentum(0.9);
        train(m, opt, 1);
        Path file = dir.resolve("ckpt.safetensors");
        Checkpoint.save(file, m, opt);
        assertEquals(m.stateDict().keySet(), SafeTensors.read(file).tensors().keySet());
        var optimizer = SafeTensors.read(Checkpoint.optimizerFile(file));
        assertEquals("SGD", optimizer.metadata().get("optimizer"));
        assertEquals("1,1,1,1,1,1", optimizer.metadata().get("optimizer.steps"));
        assertEquals("0.9", optimizer.metadata().get("optimizer.hp.momentum"));
        assertTrue(optimizer.tensors().containsKey("state.0.momentum_buffer"));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void aModelFileAndAnOptimizerFileFromDifferentSavesAreRefused() throws IOException {
        Path file = dir.resolve("run.safetensors");
        Path earlier = dir.resolve("earlier.safetensors");
        Module model = ModuleTest.mlp(1);
        SGD opt = new SGD(model.parameters(), 0.1).momentum(0.9);
        Checkpoint.save(earlier, model, opt, Map.of(), new Checkpoint.SaveTag("r1", 4));
        Checkpoint.save(file, model, opt, Map.of(), new Checkpoint.SaveTag("r1", 5));
        // A kill between the two writes of epoch 5 leaves the model file of epoch 4 beside the new optimizer file.
        Files.copy(earlier, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoint.read(file));
        assertEquals(file + ": holds run r1 at epoch 4 but run.optimizer.safetensors holds run r1 at epoch 5: the two "
                + "files come from different saves (was a save interrupted?)", e.getMessage());
        assertThrows(FileFormatException.class, () -> Checkpoint.load(file, model, opt));
        Checkpoint.save(file, model, opt, Map.of(), new Checkpoint.SaveTag("r2", 5));
        Files.copy(Checkpoint.optimizerFile(earlier), Checkpoint.optimizerFile(file),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        e = assertThrows(FileFormatException.class, () -> Checkpoint.load(file, model, opt));
        assertTrue(e.getMessage().contains("holds run r2 at epoch 5 but run.optimizer.safetensors holds run r1 at epoch 4"),
                e.getMessage());
        Checkpoint.save(file, model, opt, Map.of(), new Checkpoint.SaveTag("r2", 6));
        assertEquals("6", Checkpoint.load(file, model, opt).get(Checkpoint.SaveTag.EPOCH_KEY));
    }

    @Test
    void anOptimizerBufferOfTheWrongSizeIsRefusedFromTheHeader() throws IOException {
        Path file = dir.resolve("b.safetensors");
        Module model = ModuleTest.mlp(1);
        SGD opt = new SGD(model.parameters(), 0.1).momentum(0.9);
        train(model, opt, 1);
        Checkpoint.save(file, model, opt);
        Path optimizerFile = Checkpoint.optimizerFile(file);
        SafeTensors.Contents saved = SafeTensors.read(optimizerFile);
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>(saved.tensors());
        tensors.put("state.0.momentum_buffer", Tensor.zeros(1000));
        SafeTensors.write(optimizerFile, tensors, saved.metadata());
        FileFormatException e = assertThrows(FileFormatException.class, () -> Checkpoint.load(file, model, opt));
        assertTrue(e.getMessage().startsWith(optimizerFile + ": buffer 'state.0.momentum_buffer' of shape [1000] fits "
                + "none of the "), e.getMessage());
    }

    @Test
    void loadingIntoAnotherArchitectureNamesTheDifferences() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, ModuleTest.mlp(1));
        var other = new Sequential(new Linear(4, 8, new SplittableRandom(1)), new ReLU(), new Linear(8, 5,
                new SplittableRandom(2)));
        FileFormatException misfit = assertThrows(FileFormatException.class, () -> Checkpoint.load(file, other));
        assertTrue(misfit.getMessage().startsWith(file + ": does not fit the Sequential model: "), misfit.getMessage());
        assertTrue(misfit.getMessage().contains("missing keys: 2.weight, 2.bias; unexpected keys: "), misfit.getMessage());
        assertFalse(misfit.getMessage().contains("\n"), misfit.getMessage());
        StateDictException e = (StateDictException) misfit.getCause();
        assertEquals(List.of("2.weight", "2.bias"), e.missing());
        assertTrue(e.unexpected().contains("1.running_mean"));
        IOException noOptimizer = assertThrows(IOException.class,
                () -> Checkpoint.load(file, ModuleTest.mlp(2), new SGD(ModuleTest.mlp(2).parameters(), 0.1)));
        assertTrue(noOptimizer.getMessage().contains("m.optimizer.safetensors"), noOptimizer.getMessage());
    }
}
