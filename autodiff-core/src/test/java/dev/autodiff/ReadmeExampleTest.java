package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The core API example of the README, with its values asserted. The lines between the
 * markers, without the asserts, are the first {@code java} code block of the README;
 * {@link #documentedCopyIsThisCode} keeps the two identical.
 */
class ReadmeExampleTest {

    private static final Path DOC = Path.of("..", "README.md");
    private static final Path SOURCE = Path.of("..", "autodiff-core", "src", "test", "java", "dev", "autodiff",
            "ReadmeExampleTest.java");

    @Test
    void example() {
        // README example begins
        // A parameter, a small loss and its gradient
        Tensor w = Tensor.vector(1f, -2f, 0.5f).requiresGrad();
        Tensor x = Tensor.vector(3f, 1f, 2f);
        Tensor loss = w.mul(x).sum().square();          // (w·x)² = 4
        loss.backward();
        Tensor dw = w.grad();                           // 2(w·x)·x = [12, 4, 8]
        assertEquals(4f, loss.item());
        assertArrayEquals(new float[] {12f, 4f, 8f}, dw.toArray());

        // Transforms: a gradient function, a forward-mode JVP, a Hessian
        Function<Tensor, Tensor> f = t -> t.tanh().sum();
        Tensor g = AD.grad(f).apply(Tensor.scalar(2f)); // 1 - tanh(2)² ≈ 0.0707
        Tensor jv = AD.jvp(f, x, Tensor.vector(1f, 0f, 0f)).tangent(); // 1 - tanh(3)²
        Tensor h = AD.hessian(t -> t.pow(3f).sum()).apply(x); // diag(6x)
        assertEquals(1 - Math.pow(Math.tanh(2), 2), g.item(), 1e-6);
        assertEquals(1 - Math.pow(Math.tanh(3), 2), jv.item(), 1e-6);
        assertArrayEquals(new float[] {18, 0, 0, 0, 6, 0, 0, 0, 12}, h.toArray(), 1e-4f);

        // A custom op: its forward and its VJP, checked against finite differences
        CustomOp cube = CustomOp.of("cube", 1,
                in -> in[0].pow(3f),
                (in, out, grad) -> new Tensor[] {grad.mul(in[0].square()).mul(3f)});
        GradCheck.check(cube::apply, x).assertPassed();
        Tensor y = cube.apply(x);                       // [27, 1, 8]
        assertArrayEquals(new float[] {27f, 1f, 8f}, y.toArray(), 1e-5f);
        assertArrayEquals(new float[] {27f, 3f, 12f}, AD.grad(t -> cube.apply(t).sum()).apply(x).toArray(), 1e-5f);
        // README example ends
    }

    /** The example's lines in this file, without the asserts and the markers, dedented. */
    private static List<String> exampleLines(List<String> source) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            String trimmed = line.strip();
            if (trimmed.equals("// README example begins")) {
                inside = true;
            } else if (trimmed.equals("// README example ends")) {
                inside = false;
            } else if (inside && !trimmed.startsWith("assert")) {
                lines.add(line.length() >= 8 ? line.substring(8) : line.strip());
            }
        }
        return lines;
    }

    /** The lines of the first {@code ```java} block of a Markdown file. */
    private static List<String> javaBlock(List<String> markdown) {
        int start = markdown.indexOf("```java") + 1;
        return markdown.subList(start, markdown.subList(start, markdown.size()).indexOf("```") + start);
    }

    @Test
    void documentedCopyIsThisCode() throws IOException {
        assumeTrue(Files.isRegularFile(DOC) && Files.isRegularFile(SOURCE), "the sources are not at hand");
        List<String> expected = exampleLines(Files.readAllLines(SOURCE));
        assertEquals(String.join("\n", expected), String.join("\n", javaBlock(Files.readAllLines(DOC))));
    }
}
