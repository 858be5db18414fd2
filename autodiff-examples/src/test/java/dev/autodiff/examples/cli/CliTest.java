package dev.autodiff.examples.cli;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.SchedulePreset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the command line in process through picocli's {@code execute}, capturing stdout and stderr. */
class CliTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        CommandLine cl = AutodiffCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = AutodiffCli.execute(cl, args);
        return new Run(code, out.toString(), err.toString());
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        assertTrue(m.find(), key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void trainsDigitsToNinetyFivePercentThenSavesPlotsAndEvaluates(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("digits.safetensors");
        Path png = dir.resolve("curves.png");
        Run train = run("train", "--epochs", "10", "--json", "--save", checkpoint.toString(), "--plot", png.toString());
        assertEquals(0, train.code(), train.err());
        String json = train.out().strip();
        assertFalse(json.contains("\n"), "one JSON line: " + json);
        assertTrue(json.startsWith("{\"dataset\":\"digits\",\"model\":\"64-64-10\""), json);
        double accuracy = number(json, "test_accuracy");
        assertTrue(accuracy >= 0.95, json);
        assertEquals(10, Pattern.compile("(?m)^epoch +\\d+/10 ").matcher(train.err()).results().count(), train.err());

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1200, image.getWidth());
        assertEquals(400, image.getHeight());

        Run eval = run("eval", checkpoint.toString());
        assertEquals(0, eval.code(), eval.err());
        assertTrue(eval.out().contains(String.format("digits test split (359 samples): accuracy %.2f%%", 100 * accuracy)),
                eval.out());
        // Ten rows of the confusion matrix whose counts add up to the test split.
        long total = 0;
        for (String line : eval.out().lines().filter(l -> l.matches(" +\\d .*%")).toList()) {
            String[] cells = line.strip().split(" +");
            for (int c = 1; c <= 10; c++) {
                total += Long.parseLong(cells[c]);
            }
        }
        assertEquals(359, total);
    }

    @Test
    void resumeContinuesFromTheSavedEpoch(@TempDir Path dir) {
        Path checkpoint = dir.resolve("c.safetensors");
        Run first = run("train", "--epochs", "2", "--optimizer", "adam", "--save", checkpoint.toString());
        assertEquals(0, first.code(), first.err());
        Run second = run("train", "--epochs", "3", "--optimizer", "adam", "--resume", checkpoint.toString());
        assertEquals(0, second.code(), second.err());
        assertFalse(second.out().contains("epoch 1/3"), second.out());
        assertTrue(second.out().contains("epoch 3/3"), second.out());

        Run wrong = run("train", "--epochs", "4", "--optimizer", "sgd", "--resume", checkpoint.toString());
        assertOneLineError(wrong, 1, "--optimizer sgd conflicts with " + checkpoint + ", whose run has --optimizer adam; "
                + "leave it out to resume");
    }

    @Test
    void theDefaultJobReachesNinetyFivePercentForEverySeedFromOneToTen() {
        for (int seed = 1; seed <= 10; seed++) {
            Run r = run("train", "--seed", Integer.toString(seed), "--json", "--quiet");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().contains("\"epochs\":10,\"seed\":" + seed + ","), r.out());
            assertTrue(number(r.out(), "test_accuracy") >= 0.95, "seed " + seed + ": " + r.out());
        }
    }

    @Test
    void everyOptimizerActivationAndScheduleTrains() {
        for (String[] args : new String[][] {
                {"--optimizer", "adamw", "--activation", "gelu", "--schedule", "cosine"},
                {"--optimizer", "rmsprop", "--activation", "tanh", "--schedule", "step"},
                {"--optimizer", "adagrad", "--activation", "leaky_relu", "--schedule", "warmup-cosine"},
                {"--optimizer", "sgd", "--lr", "0.2", "--activation", "silu", "--hidden", "32,32"},
                {"--optimizer", "adam", "--lr", "0.01", "--activation", "sigmoid", "--hidden", "0"}}) {
            String[] full = new String[args.length + 3];
            full[0] = "train";
            full[1] = "--epochs";
            full[2] = "3";
            System.arraycopy(args, 0, full, 3, args.length);
            Run r = run(full);
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
            Matcher m = Pattern.compile("epoch 3/3 .* test (\\d+\\.\\d+)%").matcher(r.out());
            assertTrue(m.find(), r.out());
            assertTrue(Double.parseDouble(m.group(1)) > 80, String.join(" ", args) + ": " + r.out());
        }
    }

    @Test
    void csvDataSetWithLabelColumn(@TempDir Path dir) throws IOException {
        // Two well-separated classes; the label is the first column.
        StringBuilder csv = new StringBuilder("label,a,b\n");
        for (int i = 0; i < 100; i++) {
            int label = i % 2;
            csv.append(label).append(',').append(label * 4 + (i % 7) * 0.1).append(',').append(-label * 3 + (i % 5) * 0.1)
                    .append('\n');
        }
        Path file = dir.resolve("points.csv");
        Files.writeString(file, csv);
        Run r = run("train", "--dataset", "csv:" + file, "--label-column", "0", "--csv-header", "--epochs", "5",
                "--hidden", "8", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals(1.0, number(r.out(), "test_accuracy"), r.out());
        assertTrue(r.out().contains("\"model\":\"2-8-2\""), r.out());
    }

    @Test
    void infoNamesTheKernelsAndTheJvm() {
        Run r = run("info");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("kernels: "), r.out());
        assertTrue(r.out().contains("jvm: ") && r.out().contains(Runtime.version().toString()), r.out());
    }

    @Test
    void mistakesPrintOneLineAndNoStackTrace(@TempDir Path dir) throws IOException {
        assertOneLineError(run("train", "--bogus"), 2, "Unknown option: '--bogus'");
        assertOneLineError(run("train", "--activation", "swishy"),
                2, "'swishy' is not one of relu, tanh, sigmoid, gelu, silu, leaky_relu");
        assertOneLineError(run("train", "--epochs", "ten"), 2, "Invalid value for option '--epochs'");
        assertOneLineError(run(), 2, "a command is required");
        assertOneLineError(run("train", "--batch", "0"), 1, "--batch and --epochs must be positive");
        assertOneLineError(run("train", "--dataset", "cifar"), 1, "unknown data set 'cifar'");
        assertOneLineError(run("train", "--dataset", "csv:" + dir.resolve("missing.csv")), 1,
                "not found: " + dir.resolve("missing.csv"));
        assertOneLineError(run("train", "--dataset", "idx:" + dir.resolve("nothing")), 1, "data set folder not found");

        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,2,0\n3,x,1\n");
        assertOneLineError(run("train", "--dataset", "csv:" + bad), 1, "bad.csv");

        Path notCheckpoint = dir.resolve("not.safetensors");
        Files.writeString(notCheckpoint, "hello");
        assertOneLineError(run("eval", notCheckpoint.toString()), 1, "not.safetensors");
        assertOneLineError(run("eval", dir.resolve("absent.safetensors").toString()), 1, "absent.safetensors");
    }

    static void assertOneLineError(Run r, int code, String fragment) {
        assertEquals(code, r.code(), r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("autodiff: "), err);
        assertTrue(err.contains(fragment), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void choicesParseTheirCommandLineSpelling() {
        assertEquals(SchedulePreset.WARMUP_COSINE, Choice.parse(SchedulePreset.class, "warmup-cosine"));
        assertEquals(Activation.LEAKY_RELU, Choice.parse(Activation.class, "LEAKY_RELU"));
        assertEquals("sgd, adam, adamw, rmsprop, adagrad", Choice.labels(OptimizerKind.class));
    }
}
