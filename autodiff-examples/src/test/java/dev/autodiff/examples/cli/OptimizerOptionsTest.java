package dev.autodiff.examples.cli;

import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.OptimizerSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The optimizer options of {@code train}: their help and their effect come from the optimizers' declarations. */
class OptimizerOptionsTest {

    @Test
    void helpNamesEveryOptimizerWithItsDefaults() {
        CliTest.Run help = CliTest.run("train", "--help");
        assertEquals(0, help.code());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("the optimizer: sgd, adam, adamw, rmsprop or adagrad (default: sgd)"), text);
        assertTrue(text.contains("learning rate (default: 0.05 for sgd, 0.001 for adam, adamw and rmsprop, 0.01 for "
                + "adagrad)"), text);
        assertTrue(text.contains("momentum of sgd and rmsprop (default: 0.9)"), text);
        assertTrue(text.contains("weight decay (default: 0 for sgd, adam, rmsprop and adagrad, 0.01 for adamw)"), text);
        for (OptimizerKind name : OptimizerKind.values()) {
            OptimizerSpec spec = name.spec();
            assertEquals(spec.name().toLowerCase(java.util.Locale.ROOT), name.label());
            assertTrue(text.contains(name.label()), name.label());
        }
    }

    private static Map<String, Double> trainedHyperParameters(Path dir, String... options) throws IOException {
        Path file = dir.resolve(String.join("", options).replaceAll("[^a-z0-9]", "") + ".safetensors");
        String[] args = new String[options.length + 5];
        args[0] = "train";
        args[1] = "--epochs";
        args[2] = "1";
        args[3] = "--save";
        args[4] = file.toString();
        System.arraycopy(options, 0, args, 5, options.length);
        CliTest.Run r = CliTest.run(args);
        assertEquals(0, r.code(), r.err());
        return Checkpoint.read(file).optimizer().hyperParameters();
    }

    @Test
    void momentumAndWeightDecayReachTheOptimizersThatHaveThem(@TempDir Path dir) throws IOException {
        Map<String, Double> rmsprop = trainedHyperParameters(dir, "--optimizer", "rmsprop", "--momentum", "0.5",
                "--weight-decay", "0.001");
        assertEquals(0.5, rmsprop.get("momentum"));
        assertEquals(0.001, rmsprop.get("weight_decay"));
        assertEquals(0.001, rmsprop.get("lr"), "rmsprop's declared starting rate");

        Map<String, Double> adamw = trainedHyperParameters(dir, "--optimizer", "adamw");
        assertFalse(adamw.containsKey("momentum"), "adamw has no momentum");
        assertEquals(0.01, adamw.get("weight_decay"), "adamw's declared default decay");
        // An option that does not apply is an error, not silently ignored.
        CliTest.assertOneLineError(CliTest.run("train", "--optimizer", "adamw", "--momentum", "0.5"), 1,
                "--momentum does not apply to adamw");

        Map<String, Double> sgd = trainedHyperParameters(dir);
        assertEquals(0.9, sgd.get("momentum"), "the option's default");
        assertEquals(0.05, sgd.get("lr"));
    }

    @Test
    void anOutOfRangeValueIsOneLineNamingTheOptimizer() {
        CliTest.Run r = CliTest.run("train", "--optimizer", "adam", "--weight-decay", "-1");
        assertEquals(1, r.code(), r.err());
        assertEquals("autodiff: Adam: weight_decay must be 0 or more, got -1.0", r.err().strip());
    }
}
