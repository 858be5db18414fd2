package dev.autodiff.nn;

import dev.autodiff.Tensor;
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
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void loadingIntoAnotherArchitectureNamesTheDifferences() throws IOException {
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, ModuleTest.mlp(1));
        var other = new Sequential(new Linear(4, 8, new SplittableRandom(1)), new ReLU(), new Linear(8, 5,
                new SplittableRandom(2)));
        StateDictException e = assertThrows(StateDictException.class, () -> Checkpoint.load(file, other));
        assertEquals(List.of("2.weight", "2.bias"), e.missing());
        assertTrue(e.unexpected().contains("1.running_mean"));
        IOException noOptimizer = assertThrows(IOException.class,
                () -> Checkpoint.load(file, ModuleTest.mlp(2), new SGD(ModuleTest.mlp(2).parameters(), 0.1)));
        assertTrue(noOptimizer.getMessage().contains("m.optimizer.safetensors"), noOptimizer.getMessage());
    }
}
