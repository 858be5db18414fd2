package dev.autodiff.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration test on the real Fashion-MNIST (Debian package {@code dataset-fashion-mnist}):
 * one epoch of 784-256-10 through the trainer, in a JVM with a 512 MB heap. In CI ({@code CI=true}) a missing data set
 * fails the build; elsewhere the test is skipped with a message saying how to install it.
 */
class FashionMnistTrainingTest {

    @BeforeAll
    static void requireDataSet() {
        boolean present = Files.isRegularFile(DataSource.FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"));
        String message = "Fashion-MNIST is not installed in " + DataSource.FASHION_MNIST
                + "; install it with: apt-get install -y dataset-fashion-mnist";
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(message);
        }
        assumeTrue(present, message);
    }

    /** One epoch in a fresh JVM whose heap is capped at 512 MB, as the README promises. */
    @Test
    void oneEpochReachesEightyPercentWithinA512MegabyteHeap() throws IOException, InterruptedException {
        TrainerProcess.Output run = TrainerProcess.run(List.of("-Xmx512m"),
                "train", "--dataset", "fashion-mnist", "--epochs", "1", "--batch", "128", "--json");
        String out = run.out();
        String err = run.err();
        assertTrue(out.contains("\"model\":\"784-256-10\""), out);
        Matcher m = Pattern.compile("\"test_accuracy\":([0-9.]+)").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Double.parseDouble(m.group(1)) >= 0.80, out);
        assertTrue(err.contains("fashion-mnist: 60000 train, 10000 test samples"), err);
    }
}
