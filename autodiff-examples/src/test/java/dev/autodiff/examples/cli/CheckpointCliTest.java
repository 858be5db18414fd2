package dev.autodiff.examples.cli;

import dev.autodiff.Tensor;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.autodiff.examples.cli.CliTest.assertOneLineError;
import static dev.autodiff.examples.cli.CliTest.number;
import static dev.autodiff.examples.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a checkpoint of {@code train --save} carries, and how {@code --resume} and {@code eval} use it. */
class CheckpointCliTest {
    @TempDir
    Path dir;

    private static String accuracyLine(CliTest.Run eval) {
        Matcher m = Pattern.compile("accuracy (\\d+\\.\\d+)%").matcher(eval.out());
        assertTrue(m.find(), eval.out() + eval.err());
        return m.group(1);
    }

    @Test
    void theModelFileCarriesThePreprocessingTheRunAndTheTagOfBothFiles() throws IOException {
        Path file = dir.resolve("d.safetensors");
        assertEquals(0, run("train", "--epochs", "1", "--batch", "32", "--save", file.toString()).code());
        Map<String, String> meta = SafeTensors.readHeader(file).metadata();
        Preprocessing p = Preprocessing.fromMetadata(meta);
        assertNotNull(p);
        assertEquals(64, p.featureCount(), "one mean and deviation per digits pixel");
        assertEquals(1f, p.scale());
        assertEquals("32", meta.get("train.batch"));
        assertEquals("1", meta.get("autodiff.epoch"));
        Map<String, String> optimizerMeta = SafeTensors.readHeader(dir.resolve("d.optimizer.safetensors")).metadata();
        assertEquals(meta.get("autodiff.run"), optimizerMeta.get("autodiff.run"));
        assertEquals("1", optimizerMeta.get("autodiff.epoch"));
        // The id comes from the run's options: the same run again gets the same id, another seed another.
        Path again = dir.resolve("again.safetensors");
        Path other = dir.resolve("other.safetensors");
        assertEquals(0, run("train", "--epochs", "1", "--batch", "32", "--save", again.toString()).code());
        assertEquals(0, run("train", "--epochs", "1", "--batch", "32", "--seed", "7", "--save", other.toString()).code());
        assertEquals(meta.get("autodiff.run"), SafeTensors.readHeader(again).metadata().get("autodiff.run"));
        assertFalse(meta.get("autodiff.run").equals(SafeTensors.readHeader(other).metadata().get("autodiff.run")));
    }

    @Test
    void resumeUsesTheSavedOptionsRefusesConflictsAndReportsWhatItUsed() {
        Path file = dir.resolve("r.safetensors");
        CliTest.Run first = run("train", "--epochs", "2", "--batch", "32", "--activation", "tanh", "--seed", "5",
                "--lr", "0.02", "--save", file.toString());
        assertEquals(0, first.code(), first.err());
        CliTest.Run resumed = run("train", "--resume", file.toString(), "--epochs", "3", "--json", "--save",
                file.toString());
        assertEquals(0, resumed.code(), resumed.err());
        String json = resumed.out();
        assertTrue(json.contains("\"activation\":\"tanh\""), json);
        assertTrue(json.contains("\"lr\":0.0200000,"), json);
        assertTrue(json.contains("\"batch\":32,\"epochs\":3,\"seed\":5,"), json);
        assertEquals(1, number(json, "epochs_trained"), json);
        assertTrue(resumed.err().contains("resuming after epoch 2 of " + file), resumed.err());
        assertTrue(resumed.err().contains("epoch 3/3"), resumed.err());

        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--batch", "64"), 1,
                "--batch 64 conflicts with " + file + ", whose run has --batch 32; leave it out to resume");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--activation", "relu"), 1,
                "--activation relu conflicts with " + file + ", whose run has --activation tanh");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--seed", "42"), 1,
                "--seed 42 conflicts with " + file + ", whose run has --seed 5");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--hidden", "32"), 1,
                "--hidden 32 conflicts with " + file + ", whose run has --hidden 64");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--hidden", "0"), 1,
                "--hidden 0 conflicts with " + file + ", whose run has --hidden 64");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--hidden", "64,8"), 1,
                "--hidden 64,8 conflicts with " + file + ", whose run has --hidden 64");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--momentum", "0.5"), 1,
                "--momentum 0.5 conflicts with " + file);
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "5", "--weight-decay", "1e-4"), 1,
                "--weight-decay 0.0001 conflicts with " + file + ", whose run has --weight-decay 0;");
        // Options equal to the saved ones are fine.
        assertEquals(0, run("train", "--resume", file.toString(), "--epochs", "4", "--batch", "32", "--seed", "5").code());
    }

    @Test
    void aRunResumedToTenEpochsCarriesTheMetadataOfARunOfTen() throws IOException {
        Path straight = dir.resolve("straight.safetensors");
        Path resumed = dir.resolve("resumed.safetensors");
        assertEquals(0, run("train", "--epochs", "3", "--save", straight.toString()).code());
        assertEquals(0, run("train", "--epochs", "2", "--save", resumed.toString()).code());
        assertEquals(0, run("train", "--resume", resumed.toString(), "--epochs", "3", "--save", resumed.toString()).code());
        assertEquals(SafeTensors.readHeader(straight).metadata(), SafeTensors.readHeader(resumed).metadata());
        assertEquals(SafeTensors.readHeader(dir.resolve("straight.optimizer.safetensors")).metadata(),
                SafeTensors.readHeader(dir.resolve("resumed.optimizer.safetensors")).metadata());
    }

    @Test
    void epochsNotAboveThoseDoneIsAClearError() {
        Path file = dir.resolve("e.safetensors");
        assertEquals(0, run("train", "--epochs", "2", "--save", file.toString()).code());
        assertOneLineError(run("train", "--resume", file.toString()), 1,
                file + " holds all 2 epochs of its run; pass --epochs above 2 to train further");
        assertOneLineError(run("train", "--resume", file.toString(), "--epochs", "2"), 1,
                "--epochs 2 is not above the 2 epochs that " + file + " already holds");
        Path cosine = dir.resolve("c.safetensors");
        assertEquals(0, run("train", "--epochs", "3", "--schedule", "cosine", "--save", cosine.toString()).code());
        assertOneLineError(run("train", "--resume", cosine.toString(), "--epochs", "6"), 1,
                "its cosine schedule spans 3 epochs and cannot be stretched");
    }

    @Test
    void aScheduledRunSavesTheSchedulesStateBesideTheOptimizers() throws IOException {
        Path file = dir.resolve("s.safetensors");
        assertEquals(0, run("train", "--epochs", "2", "--schedule", "step", "--save", file.toString()).code());
        Map<String, String> meta = SafeTensors.readHeader(dir.resolve("s.optimizer.safetensors")).metadata();
        assertEquals("LrScheduler", meta.get("scheduler"));
        assertEquals("2.0", meta.get("scheduler.last_epoch"));
        assertEquals("0.05", meta.get("scheduler.base_lrs.0"));
    }

    @Test
    void aModelFileOneSaveBehindItsOptimizerFileIsRefused() throws IOException {
        Path file = dir.resolve("m.safetensors");
        assertEquals(0, run("train", "--epochs", "1", "--save", file.toString()).code());
        Path epochOne = Files.copy(file, dir.resolve("epoch1.bin"));
        assertEquals(0, run("train", "--resume", file.toString(), "--epochs", "2", "--save", file.toString()).code());
        // What a kill between the optimizer file's write and the model file's leaves.
        Files.copy(epochOne, file, StandardCopyOption.REPLACE_EXISTING);
        CliTest.Run r = run("train", "--resume", file.toString(), "--epochs", "3");
        assertOneLineError(r, 1, "at epoch 1 but m.optimizer.safetensors holds run ");
        assertTrue(r.err().contains("at epoch 2: the two files come from different saves"), r.err());
    }

    @Test
    void evalNeedsTheModelFileAloneAndMatchesTheTrainer() throws IOException {
        Path file = dir.resolve("digits.safetensors");
        CliTest.Run train = run("train", "--epochs", "3", "--json", "--save", file.toString());
        assertEquals(0, train.code(), train.err());
        Files.delete(dir.resolve("digits.optimizer.safetensors"));
        CliTest.Run eval = run("eval", file.toString());
        assertEquals(0, eval.code(), eval.err());
        assertEquals(String.format("%.2f", 100 * number(train.out(), "test_accuracy")), accuracyLine(eval));
    }

    @Test
    void evalInfersASequentialOfLinearLayersFromAFileWithoutMetadata() throws IOException {
        Path file = dir.resolve("digits.safetensors");
        assertEquals(0, run("train", "--epochs", "3", "--hidden", "32,16", "--activation", "tanh", "--save",
                file.toString()).code());
        String expected = accuracyLine(run("eval", file.toString()));
        SafeTensors.Contents saved = SafeTensors.read(file);
        String preprocessing = saved.metadata().get(Preprocessing.METADATA_KEY);
        // What safetensors.torch.save_file writes for torch.nn.Sequential(Linear, Tanh, Dropout, Linear, Tanh, Linear):
        // the Linear layers at indices 0, 3 and 5, no metadata.
        Map<String, Tensor> python = new LinkedHashMap<>();
        String[] theirs = {"0", "3", "5"};
        for (int l = 0; l < 3; l++) {
            python.put(theirs[l] + ".weight", saved.tensors().get(2 * l + ".weight"));
            python.put(theirs[l] + ".bias", saved.tensors().get(2 * l + ".bias"));
        }
        Path plain = dir.resolve("python.safetensors");
        SafeTensors.write(plain, python);
        CliTest.Run eval = run("eval", plain.toString(), "--dataset", "digits", "--activation", "tanh",
                "--preprocessing", preprocessing);
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().startsWith("64-32-16-10 tanh on digits"), eval.out());
        assertEquals(expected, accuracyLine(eval));

        assertOneLineError(run("eval", plain.toString(), "--activation", "tanh", "--preprocessing", preprocessing), 1,
                plain + " does not say which data set it was trained on; pass --dataset");
        assertOneLineError(run("eval", plain.toString(), "--dataset", "digits"), 1,
                plain + " does not say how its inputs were preprocessed (no autodiff.preprocessing in its metadata)");
        python.put("3.bias", Tensor.zeros(7));
        SafeTensors.write(plain, python);
        assertOneLineError(run("eval", plain.toString(), "--dataset", "digits"), 1,
                plain + ": layer 3: bias of shape [7] does not match the weight [16, 32]");
    }

    @Test
    void evalOnDataOfAnotherWidthOrWithMalformedPreprocessingSaysWhichIsWrong() throws IOException {
        Path file = dir.resolve("digits.safetensors");
        assertEquals(0, run("train", "--epochs", "1", "--hidden", "8", "--save", file.toString()).code());
        Path folder = IdxFixture.write(dir.resolve("idx"));
        assertOneLineError(run("eval", file.toString(), "--dataset", "idx:" + folder), 1,
                file + " expects 64 features, the test images in " + folder + " have 16");
        Path csv = Files.writeString(dir.resolve("two.csv"), "0.5,1,0\n1.5,2,1\n");
        assertOneLineError(run("eval", file.toString(), "--dataset", "csv:" + csv), 1,
                file + " expects 64 features, csv:" + csv + " has 2");
        assertOneLineError(run("eval", file.toString(), "--preprocessing", "{\"scale\": \"x\"}"), 1,
                "--preprocessing: expected a number at character 10, found '\"'");
    }

    @Test
    void evalReadsOnlyTheTestSplit() throws IOException {
        Path folder = IdxFixture.write(dir.resolve("idx"));
        Path file = dir.resolve("idx.safetensors");
        CliTest.Run train = run("train", "--dataset", "idx:" + folder, "--hidden", "8", "--epochs", "3", "--json",
                "--save", file.toString());
        assertEquals(0, train.code(), train.err());
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("train-")).toList()) {
                Files.delete(f);
            }
        }
        CliTest.Run eval = run("eval", file.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains("test split (30 samples)"), eval.out());
        assertEquals(String.format("%.2f", 100 * number(train.out(), "test_accuracy")), accuracyLine(eval));
    }

    @Test
    void aTensorOfTheWrongShapeIsNamedWithItsFileOnOneLine() throws IOException {
        Path file = dir.resolve("w.safetensors");
        assertEquals(0, run("train", "--epochs", "1", "--save", file.toString()).code());
        SafeTensors.Contents saved = SafeTensors.read(file);
        Map<String, Tensor> tensors = new LinkedHashMap<>(saved.tensors());
        tensors.put("2.weight", Tensor.zeros(10, 63));
        SafeTensors.write(file, tensors, saved.metadata());
        assertOneLineError(run("eval", file.toString()), 1, file + ": does not fit the Sequential model: size mismatch: "
                + "2.weight: checkpoint [10, 63], model [10, 64]");
        assertOneLineError(run("eval", dir.toString()), 1, dir + ": is a directory, not a safetensors file");
    }

    @Test
    void badMetadataIsNamedWithItsFileKeyAndValueOnOneLine() throws IOException {
        Path file = dir.resolve("m.safetensors");
        assertEquals(0, run("train", "--epochs", "1", "--save", file.toString()).code());
        SafeTensors.Contents saved = SafeTensors.read(file);
        Path edited = dir.resolve("e.safetensors");
        Files.copy(dir.resolve("m.optimizer.safetensors"), dir.resolve("e.optimizer.safetensors"));
        // key, value, what eval and --resume say after the file's name
        String[][] model = {
                {"model.hidden", "64,x", "metadata model.hidden is '64,x', not a list of positive sizes separated by commas"},
                {"model.classes", "1", "metadata model.classes is '1', not a whole number of at least 2"},
                {"model.inputs", "99999999", "the model in its metadata cannot be used: layer 1 (99,999,999 inputs"},
                {"model.activation", "swishy", "metadata model.activation is 'swishy', not one of relu, tanh"},
                {"dataset", "digitz", "the data set in its metadata cannot be used: unknown data set 'digitz'"},
                {"seed", "", "metadata seed is '', not a whole number"}};
        String[][] run = {
                {"train.lr", "-0.1", "metadata train.lr is '-0.1', not a positive finite number"},
                {"train.lr", "NaN", "metadata train.lr is 'NaN', not a finite number"},
                {"train.momentum", "1.5", "metadata train.momentum must be below 1"},
                {"train.momentum", "-1", "the optimizer in its metadata cannot be used: "},
                {"train.batch", "0", "metadata train.batch is '0', not a whole number of at least 1"},
                {"train.epochs", "ten", "metadata train.epochs is 'ten', not a whole number of at least 1"},
                {"optimizer.name", "adamm", "metadata optimizer.name is 'adamm', not one of sgd, adam"}};
        for (String[][] group : new String[][][] {model, run}) {
            for (String[] c : group) {
                Map<String, String> meta = new LinkedHashMap<>(saved.metadata());
                meta.put(c[0], c[1]);
                SafeTensors.write(edited, saved.tensors(), meta);
                assertOneLineError(run("train", "--resume", edited.toString(), "--epochs", "2"), 1, edited + ": " + c[2]);
                if (group == model) {
                    assertOneLineError(run("eval", edited.toString()), 1, edited + ": " + c[2]);
                }
            }
        }
        // Another seed draws another training split of the digits, whose statistics differ.
        Map<String, String> meta = new LinkedHashMap<>(saved.metadata());
        meta.put("seed", "7");
        SafeTensors.write(edited, saved.tensors(), meta);
        assertOneLineError(run("train", "--resume", edited.toString(), "--epochs", "2"), 1,
                "digits is not the data " + edited + " was trained on: its training split's statistics changed (mean of "
                        + "feature ");
    }

    @Test
    void outputPathsAreCheckedBeforeTrainingAndLeaveNoStrayFiles() throws IOException {
        Path missing = dir.resolve("no/such/dir/curves.png");
        CliTest.Run plot = run("train", "--plot", missing.toString());
        assertOneLineError(plot, 1, "not found: " + missing + " (its directory");
        assertFalse(plot.out().contains("epoch"), "nothing was trained: " + plot.out());
        Path folder = Files.createDirectory(dir.resolve("folder"));
        CliTest.Run save = run("train", "--save", folder.toString());
        assertOneLineError(save, 1, folder + ": is a directory; give a file name");
        assertFalse(save.out().contains("epoch"), save.out());
        CliTest.Run intoMissing = run("train", "--save", dir.resolve("absent/c.safetensors").toString());
        assertOneLineError(intoMissing, 1, "not found: " + dir.resolve("absent/c.safetensors"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(folder), files.toList());
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(0, files.count());
        }
    }
}
