package dev.autodiff.examples.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Integration test on the real Fashion-MNIST (Debian package {@code dataset-fashion-mnist}):
 * one epoch of 784-256-10 through the trainer. In CI ({@code CI=true}) a missing data set
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

    @Test
    void oneEpochReachesEightyPercent() {
        CliTest.Run r = CliTest.run("train", "--dataset", "fashion-mnist", "--epochs", "1", "--batch", "128",
                "--lr", "0.05", "--momentum", "0.9", "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"model\":\"784-256-10\""), r.out());
        Matcher m = Pattern.compile("\"test_accuracy\":([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) >= 0.80, r.out());
        assertTrue(r.err().contains("fashion-mnist: 60000 train, 10000 test samples"), r.err());
    }
}
