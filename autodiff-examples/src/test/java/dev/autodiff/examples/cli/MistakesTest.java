package dev.autodiff.examples.cli;

import dev.autodiff.nn.NotEnoughMemoryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static dev.autodiff.examples.cli.CliTest.assertOneLineError;
import static dev.autodiff.examples.cli.CliTest.number;
import static dev.autodiff.examples.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input and limits: one line on stderr, exit 1 or 2, never a stack trace (unless --debug asks for it). */
class MistakesTest {
    @TempDir
    Path dir;

    @Test
    void numbersNoRunCanTrainWithAreRejectedUpFront() {
        assertOneLineError(run("train", "--lr", "Infinity"), 1, "--lr must be a positive finite number, got Infinity");
        assertOneLineError(run("train", "--lr", "NaN"), 1, "--lr must be a positive finite number, got NaN");
        assertOneLineError(run("train", "--lr", "0"), 1, "--lr must be a positive finite number, got 0.0");
        assertOneLineError(run("train", "--momentum", "5"), 1,
                "--momentum must be below 1 (the steps would grow without bound), got 5.0");
        assertOneLineError(run("train", "--momentum", "-0.1"), 1, "SGD: momentum must be 0 or more, got -0.1");
        assertOneLineError(run("train", "--weight-decay", "-1"), 1, "SGD: weight_decay must be 0 or more, got -1.0");
        assertOneLineError(run("train", "--weight-decay", "Infinity"), 1, "--weight-decay must be finite, got Infinity");
        assertOneLineError(run("train", "--threads", "0"), 1, "--threads must be positive, got 0");
        assertOneLineError(run("train", "--hidden", "0,5"), 1, "--hidden sizes must be positive (or a single 0 for none), got 0,5");
        assertOneLineError(run("train", "--optimizer", "adam", "--momentum", "0.5"), 1,
                "--momentum does not apply to adam");
        assertOneLineError(run("train", "--hidden", "100000000"), 1,
                "layer 1 (64 inputs, 100,000,000 outputs) would have 6,400,000,000 weights, more than one tensor can hold");
    }

    @Test
    void aNonFiniteLossStopsTheRunWithExitOne() {
        CliTest.Run r = run("train", "--lr", "1e30", "--epochs", "3");
        assertOneLineError(r, 1, "training diverged: the loss is NaN at step 2 of epoch 1; try a smaller --lr (it is 1.0E30)");
        assertTrue(!r.out().contains("epoch 1/3"), "no epoch line after the divergence: " + r.out());
    }

    @Test
    void aTypoGetsTheClosestCommandOrOption() {
        assertOneLineError(run("trian"), 2, "unknown command 'trian'; did you mean train?");
        assertOneLineError(run("train", "--epoch", "3"), 2, "Unknown options: '--epoch', '3'; did you mean --epochs?");
    }

    @Test
    void aModelTooLargeForTheHeapSaysHowMuchToGive() {
        CliTest.Run r = run("train", "--hidden", "40000,40000", "--epochs", "1");
        assertOneLineError(r, 1, "training 64-40000-40000-10 relu with sgd at batch 64 needs ");
        assertTrue(r.err().contains("; give the JVM more, e.g. AUTODIFF_JAVA_OPTS=-Xmx"), r.err());
    }

    @Test
    void memoryFailuresSayHowMuchHeapToGive() {
        assertEquals("loading x needs 300 MB of heap, but only 100 MB are free (maximum heap 200 MB); give the JVM "
                + "more, e.g. AUTODIFF_JAVA_OPTS=-Xmx512m",
                AutodiffCli.message(new NotEnoughMemoryException("loading x", 300L << 20, 100L << 20, 200L << 20)));
        String oom = AutodiffCli.message(new OutOfMemoryError("Java heap space"));
        assertTrue(oom.startsWith("out of memory with a maximum heap of "), oom);
        assertTrue(oom.contains(" MB; give the JVM more, e.g. AUTODIFF_JAVA_OPTS=-Xmx"), oom);
    }

    @Test
    void debugAddsTheStackTraceAfterTheLine() {
        CliTest.Run r = run("train", "--lr", "Infinity", "--debug");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("autodiff: --lr must be a positive finite number, got Infinity\n"
                + "java.lang.IllegalArgumentException: --lr must be"), r.err());
        assertTrue(r.err().contains("\tat dev.autodiff.examples.cli.TrainCommand"), r.err());
        assertOneLineError(run("train", "--lr", "Infinity"), 1, "--lr must be");
    }

    @Test
    void aFailureOnTheWarmupThreadReachesTheCaller() {
        KernelWarmup warmup = KernelWarmup.startRunning(w -> {
            throw new IllegalArgumentException("a step failed on the warm-up's own thread");
        });
        assertFalse(warmup.awaitWarm(Duration.ofMinutes(1)), "a failed warm-up is not warm, and ends the wait");
        var e = assertThrows(IllegalArgumentException.class, warmup::close);
        assertEquals("a step failed on the warm-up's own thread", e.getMessage());
    }

    @Test
    void aStrayIdxLabelOrATestLabelOutsideTheTrainingClassesNamesTheFileAndRecord() throws IOException {
        Path folder = IdxFixture.write(dir.resolve("idx"));
        byte[] labels = new byte[IdxFixture.TRAIN];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) (i % 3);
        }
        labels[17] = (byte) 200;
        Path trainLabels = IdxFixture.labelFile(folder, "train", labels);
        assertOneLineError(run("train", "--dataset", "idx:" + folder), 1, trainLabels + ": record 17 (byte 25): label 200, "
                + "but no example has label 3 (nor any up to 199): labels must number the classes 0 to K-1 without gaps");

        labels[17] = 2;
        IdxFixture.labelFile(folder, "train", labels);
        byte[] test = new byte[IdxFixture.TEST];
        test[4] = 3;
        Path testLabels = IdxFixture.labelFile(folder, "t10k", test);
        assertOneLineError(run("train", "--dataset", "idx:" + folder), 1,
                testLabels + ": record 4 (byte 12): label 3 is not one of the 3 classes 0 to 2");
    }

    @Test
    void idxTestImagesOfAnotherSizeThanTheTrainingImagesAreNamed() throws IOException {
        Path folder = IdxFixture.write(dir.resolve("idx"));
        Files.write(folder.resolve("t10k-images-idx3-ubyte"),
                IdxFixture.idx(0x0803, new int[] {IdxFixture.TEST, 3, 3}, new byte[IdxFixture.TEST * 9]));
        assertOneLineError(run("train", "--dataset", "idx:" + folder), 1,
                "idx:" + folder + ": the test images have 9 pixels, the training images 16");
    }

    @Test
    void csvLabelsAreCheckedTooAndAByteOrderMarkJustWorks() throws IOException {
        StringBuilder csv = new StringBuilder("\uFEFFa,b,label\n");
        for (int i = 0; i < 100; i++) {
            int label = i % 2;
            csv.append(label * 4 + (i % 7) * 0.1).append(',').append(-label * 3 + (i % 5) * 0.1).append(',').append(label)
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("bom.csv"), csv);
        CliTest.Run r = run("train", "--dataset", "csv:" + file, "--csv-header", "--hidden", "4", "--batch", "8", "--epochs", "5",
                "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1.0, number(r.out(), "test_accuracy"), r.out());

        Path stray = Files.writeString(dir.resolve("stray.csv"), csv.append("1,2,1000000\n"));
        assertOneLineError(run("train", "--dataset", "csv:" + stray, "--csv-header"), 1,
                stray + ": line 102: label 1000000, but no example has label 2 (nor any up to 999999)");
    }

    @Test
    void aDirectoryOrABrokenGzipIsNamed() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("data.csv"));
        assertOneLineError(run("train", "--dataset", "csv:" + folder), 1, folder + ": is a directory, not a data file");
        Path broken = Files.write(dir.resolve("broken.csv"), new byte[] {0x1f, (byte) 0x8b, 8, 0});
        assertOneLineError(run("train", "--dataset", "csv:" + broken), 1,
                broken + ": corrupt or truncated gzip header: the compressed data ends too early");
    }

    @Test
    void anUnexpectedFailureIsOneLineThatSaysSo() {
        StringWriter err = new StringWriter();
        assertEquals(1, AutodiffCli.fail(new NullPointerException("x is null"), new PrintWriter(err), false));
        assertEquals("autodiff: internal error: java.lang.NullPointerException: x is null (please report it; --debug shows "
                + "the stack trace)", err.toString().strip());
    }
}
