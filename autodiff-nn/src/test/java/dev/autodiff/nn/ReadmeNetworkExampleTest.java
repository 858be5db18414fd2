package dev.autodiff.nn;

import dev.autodiff.Tensor;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.TensorDataset;
import dev.autodiff.nn.optim.LrSchedule;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.ParamGroup;
import dev.autodiff.nn.optim.SGD;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's "Networks in a minute", with its values asserted. The lines between the
 * markers, without the asserts, are the first {@code java} code block after that heading;
 * {@link #documentedCopyIsThisCode} keeps the two identical.
 */
class ReadmeNetworkExampleTest {

    private static final Path DOC = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "dev", "autodiff", "nn",
            "ReadmeNetworkExampleTest.java");
    private static final String HEADING = "## Networks in a minute";

    @Test
    void example() throws IOException {
        // README example begins
        // A module of your own: the modules and parameters its fields hold are registered by name
        class Mlp extends Module {
            final Linear hidden = new Linear(2, 16, new SplittableRandom(1));
            final Linear output = new Linear(16, 2, new SplittableRandom(2));

            @Override
            public Tensor forward(Tensor x) {
                return output.forward(hidden.forward(x).relu());
            }
        }
        Mlp model = new Mlp();                          // hidden.weight, hidden.bias, output.weight, output.bias
        assertEquals(List.of("hidden.weight", "hidden.bias", "output.weight", "output.bias"),
                List.copyOf(model.namedParameters().keySet()));

        // Points of the square, of class 1 where x·y > 0, in shuffled batches
        var rng = new SplittableRandom(3);
        Tensor points = Tensor.uniform(rng, -1f, 1f, 512, 2);
        int[] labels = new int[512];
        for (int i = 0; i < 512; i++) {
            labels[i] = points.get(i, 0) * points.get(i, 1) > 0 ? 1 : 0;
        }
        var loader = DataLoader.builder(TensorDataset.withLabels(points, labels)).batchSize(32).shuffle(4).build();

        // Two parameter groups, a schedule, and the training state saved after every epoch
        var sgd = new SGD(0.2, ParamGroup.of(model.hidden.parameters()),
                ParamGroup.of(model.output.parameters()).with("lr", 0.1)).momentum(0.9);
        var schedule = new LrScheduler(sgd, LrSchedule.cosine(20, 0));
        Path file = Files.createTempDirectory("mlp").resolve("mlp.safetensors");
        for (int epoch = 0; epoch < 20; epoch++) {
            loader.setEpoch(epoch);
            for (Batch batch : loader) {
                Tensor loss = Losses.crossEntropy(model.forward(batch.x()), batch.labels());
                sgd.zeroGrad();
                loss.backward();
                sgd.step();
            }
            schedule.step();
            Checkpoint.save(file, model, sgd, schedule, epoch + 1);
        }
        double accuracy = Metrics.accuracy(model.eval().forward(points), labels); // above 0.95
        assertTrue(accuracy > 0.95, "accuracy " + accuracy);

        // Resuming, in a program that builds the same objects: model, optimizer, schedule and epoch come back
        Mlp again = new Mlp();
        var againSgd = new SGD(0.2, ParamGroup.of(again.hidden.parameters()),
                ParamGroup.of(again.output.parameters()).with("lr", 0.1)).momentum(0.9);
        var againSchedule = new LrScheduler(againSgd, LrSchedule.cosine(20, 0));
        int epochsDone = Checkpoint.resume(file, again, againSgd, againSchedule); // 20
        assertEquals(20, epochsDone);
        assertArrayEquals(model.forward(points).toArray(), again.eval().forward(points).toArray());
        assertEquals(20, againSchedule.epoch());
        assertEquals(sgd.stateDict().groups(), againSgd.stateDict().groups());
        // README example ends
    }

    /** The example's lines in this file, without the asserts (of one line or several) and the markers, dedented. */
    private static List<String> exampleLines(List<String> source) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        boolean inAssert = false;
        for (String line : source) {
            String trimmed = line.strip();
            if (trimmed.equals("// README example begins")) {
                inside = true;
            } else if (trimmed.equals("// README example ends")) {
                inside = false;
            } else if (inside) {
                if (inAssert || trimmed.startsWith("assert")) {
                    inAssert = !trimmed.endsWith(";");
                } else {
                    lines.add(line.length() >= 8 ? line.substring(8) : line.strip());
                }
            }
        }
        return lines;
    }

    /** The lines of the first {@code ```java} block after the section's heading. */
    private static List<String> javaBlock(List<String> markdown) {
        int heading = markdown.indexOf(HEADING);
        List<String> after = markdown.subList(heading, markdown.size());
        int start = after.indexOf("```java") + 1;
        return after.subList(start, after.subList(start, after.size()).indexOf("```") + start);
    }

    @Test
    void documentedCopyIsThisCode() throws IOException {
        assumeTrue(Files.isRegularFile(DOC) && Files.isRegularFile(SOURCE), "the sources are not at hand");
        List<String> expected = exampleLines(Files.readAllLines(SOURCE));
        assertEquals(String.join("\n", expected), String.join("\n", javaBlock(Files.readAllLines(DOC))));
    }
}
