package dev.autodiff.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.autodiff.examples.cli.CliTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random command lines: {@code train} and {@code eval} with options drawn from pools of
 * good values, edge values and mistakes (zero, negative, NaN and infinite numbers, words
 * for numbers, sizes beyond an array, files that are missing, directories or damaged, a
 * malformed JSON preprocessing), a few at a time. Whatever the mix, the tool ends with exit
 * code 0, 1 or 2, and a failure is one line, {@code autodiff: ...}, last on stderr: never
 * a stack trace or an internal error. Epochs stay at two or fewer on small data sets, so
 * the whole test trains for seconds.
 */
class RandomCommandLineTest {

    private static final int COMMAND_LINES = 120;

    @TempDir
    Path dir;

    @Test
    void everyCommandLineEndsInSuccessOrOneLine() throws IOException {
        Pools pools = new Pools(dir);
        SplittableRandom rng = new SplittableRandom(20261202);
        int failures = 0;
        for (int i = 0; i < COMMAND_LINES; i++) {
            List<String> args = rng.nextInt(4) == 0 ? pools.eval(rng) : pools.train(rng);
            CliTest.Run r = run(args.toArray(String[]::new));
            String what = String.join(" ", args) + " -> exit " + r.code() + "\n" + r.err();
            assertTrue(r.code() >= 0 && r.code() <= 2, what);
            assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), what);
            if (r.code() != 0) {
                failures++;
                String[] lines = r.err().strip().split("\n");
                String last = lines[lines.length - 1];
                assertTrue(last.startsWith("autodiff: ") && !last.contains("Exception"), what);
            }
        }
        int refused = failures;
        assertTrue(refused > COMMAND_LINES / 4 && refused < COMMAND_LINES, refused + " of " + COMMAND_LINES
                + " command lines failed: the pools should mix mistakes and runs that train");
    }

    /** The values each option draws from, with the files they name. */
    private record Pools(Path dir, Path checkpoint, Path csv, Path idx, Path damaged) {

        Pools(Path dir) throws IOException {
            this(dir, dir.resolve("good.safetensors"), Files.writeString(dir.resolve("points.csv"), points()),
                    IdxFixture.write(Files.createDirectories(dir.resolve("idx"))),
                    Files.write(dir.resolve("damaged.safetensors"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'}));
            CliTest.Run saved = run("train", "-q", "--hidden", "8", "--epochs", "1", "--save", checkpoint.toString());
            assertEquals(0, saved.code(), saved.err());
        }

        private static String points() {
            StringBuilder csv = new StringBuilder("a,b,label\n");
            for (int i = 0; i < 60; i++) {
                int label = i % 3;
                csv.append(label * 2 + (i % 7) * 0.1).append(',').append(-label + (i % 5) * 0.2).append(',')
                        .append(label).append('\n');
            }
            return csv.toString();
        }

        List<String> train(SplittableRandom rng) {
            List<String> args = new ArrayList<>(List.of("train", "-q"));
            option(rng, args, 1, "--epochs", good("1", "2"), bad("0", "-1", "x", ""));
            String dataset = option(rng, args, 0.7, "--dataset", good("digits", "csv:" + csv, "idx:" + idx),
                    bad("csv:" + dir.resolve("missing.csv"), "idx:" + dir.resolve("nowhere"), "csv:" + dir, "cifar"));
            if (dataset.startsWith("csv:")) {
                option(rng, args, 0.5, "--label-column", good("-1", "2"), bad("0", "3", "-4", "99", "x"));
                if (rng.nextBoolean()) {
                    args.add("--csv-header");
                }
            }
            option(rng, args, 0.4, "--hidden", good("8", "16,8", "0", "1"), bad("0,5", "-3", "a", "100000000",
                    "40000,40000", ""));
            option(rng, args, 0.3, "--activation", good("relu", "tanh", "gelu", "silu", "leaky_relu", "SIGMOID"),
                    bad("swish"));
            option(rng, args, 0.4, "--optimizer", good("sgd", "adam", "adamw", "rmsprop", "adagrad", "ADAM"),
                    bad("lbfgs"));
            option(rng, args, 0.4, "--lr", good("0.05", "0.001", "1"), bad("0", "-0.1", "NaN", "Infinity", "1e30",
                    "fast"));
            option(rng, args, 0.25, "--momentum", good("0", "0.5", "0.99"), bad("1", "-0.1", "NaN"));
            option(rng, args, 0.25, "--weight-decay", good("0", "1e-4", "0.5"), bad("-1", "Infinity"));
            option(rng, args, 0.3, "--schedule", good("none", "step", "cosine", "warmup-cosine"), bad("cos"));
            option(rng, args, 0.4, "--batch", good("1", "7", "64", "5000"), bad("0", "-2", "x", "99999999999"));
            option(rng, args, 0.3, "--seed", good("0", "42", "-7", "9223372036854775807"), bad("x"));
            option(rng, args, 0.3, "--threads", good("1", "2", "3"), bad("0", "-1", "x"));
            option(rng, args, 0.2, "--save", good(dir.resolve("run.safetensors").toString()),
                    bad(dir.toString(), dir.resolve("missing").resolve("run.safetensors").toString()));
            option(rng, args, 0.2, "--resume", good(checkpoint.toString()), bad(damaged.toString(),
                    dir.resolve("missing.safetensors").toString(), dir.toString(), csv.toString()));
            option(rng, args, 0.15, "--plot", good(dir.resolve("curves.png").toString()), bad(dir.toString(),
                    dir.resolve("missing").resolve("curves.png").toString()));
            if (rng.nextInt(5) == 0) {
                args.add("--json");
            }
            if (rng.nextInt(20) == 0) {
                args.add(pick(rng, bad("--lr", "--epochs", "extra", "--hidden=8", "-x")));
            }
            return args;
        }

        List<String> eval(SplittableRandom rng) {
            List<String> args = new ArrayList<>(List.of("eval"));
            args.add(rng.nextInt(4) > 0 ? checkpoint.toString() : pick(rng, bad(damaged.toString(), csv.toString(),
                    dir.resolve("missing.safetensors").toString(), dir.toString())));
            option(rng, args, 0.4, "--dataset", good("digits"), bad("csv:" + csv, "idx:" + idx, "mnist-like"));
            option(rng, args, 0.3, "--preprocessing", good(), bad("{\"scale\": 0.0625}", "{\"scale\": 1, \"mean\": [0],"
                    + " \"std\": [1]}", "{\"scale\": \"x\"}", "{", "null", "[]", "{\"scale\": 1, \"std\": [0]}",
                    "{\"scale\": 1e999}", "{\"mean\": [1, 2], \"std\": [1]}", ""));
            option(rng, args, 0.2, "--activation", good("relu"), bad("tanh", "nope"));
            option(rng, args, 0.2, "--seed", good("42"), bad("1", "-1", "y"));
            return args;
        }

        /**
         * With probability {@code chance}, adds the option with a good value, or (one time in
         * ten, or always when there is none) a bad one; returns the value, or "" if not added.
         */
        private static String option(SplittableRandom rng, List<String> args, double chance, String name,
                                     String[] goodValues, String[] badValues) {
            if (rng.nextDouble() >= chance) {
                return "";
            }
            String value = goodValues.length > 0 && rng.nextInt(10) > 0 ? pick(rng, goodValues) : pick(rng, badValues);
            args.add(name);
            args.add(value);
            return value;
        }

        private static String[] good(String... values) {
            return values;
        }

        private static String[] bad(String... values) {
            return values;
        }

        private static String pick(SplittableRandom rng, String[] values) {
            return values[rng.nextInt(values.length)];
        }
    }
}
