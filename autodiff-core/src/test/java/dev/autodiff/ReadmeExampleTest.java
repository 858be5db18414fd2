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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's examples of the core API and of vmap, with their values asserted. The
 * lines between each example's markers, without the asserts, are a {@code java} code
 * block of the README (the first one, and the first under the vmap heading);
 * {@link #documentedCopiesAreThisCode} keeps them identical.
 */
class ReadmeExampleTest {

    private static final Path DOC = Path.of("..", "README.md");
    private static final String VMAP_HEADING = "## Per-example gradients and batching: `vmap`";
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

    @Test
    void vmapExample() {
        // README vmap example begins
        // One example's loss, (w·x - y)², and three examples stacked along axis 0
        AD.Fn loss = a -> a[0].matmul(a[1]).sub(a[2]).square();
        Tensor w = Tensor.vector(1f, -1f);
        Tensor xs = Tensor.matrix(new float[][] {{1f, 2f}, {3f, 4f}, {0f, 1f}});
        Tensor ys = Tensor.vector(0f, 1f, 2f);

        // The gradient with respect to w for each example: w shared (in-axis null), x and y mapped
        Tensor perExample = AD.vmap(AD.grad(loss, 0), null, 0, 0).apply(w, xs, ys); // 2(w·x - y)·x per row
        assertArrayEquals(new float[] {-2f, -4f, -12f, -16f, 0f, -6f}, perExample.toArray(), 1e-6f);

        // The losses of the batch, and the gradient of their mean: vmap inside grad
        Tensor losses = AD.vmap(loss, null, 0, 0).apply(w, xs, ys);                 // [1, 4, 9]
        Tensor meanGrad = AD.grad(a -> AD.vmap(loss, null, 0, 0).apply(a).mean(), 0).apply(w, xs, ys);
        assertArrayEquals(new float[] {1f, 4f, 9f}, losses.toArray());
        assertArrayEquals(perExample.mean(0).toArray(), meanGrad.toArray(), 1e-6f);

        // A Hessian per example, and several results at once (here two gradients per example)
        Tensor hessians = AD.vmap(AD.hessian(t -> t.pow(3f).sum())).apply(xs);     // diag(6x) per row
        Tensor[] both = AD.vmapMulti(AD.grads(loss, 0, 1), null, 0, 0).apply(w, xs, ys);
        assertArrayEquals(new float[] {6f, 0f, 0f, 12f}, hessians.slice(0, 0, 1).toArray(), 1e-5f);
        assertArrayEquals(perExample.toArray(), both[0].toArray());
        assertArrayEquals(new int[] {3, 2}, both[1].shape());
        // README vmap example ends
    }

    /** The lines of the example {@code name} in this file, without the asserts and the markers, dedented. */
    private static List<String> exampleLines(List<String> source, String name) {
        List<String> lines = new ArrayList<>();
        boolean inside = false;
        for (String line : source) {
            String trimmed = line.strip();
            if (trimmed.equals("// README " + name + " begins")) {
                inside = true;
            } else if (trimmed.equals("// README " + name + " ends")) {
                inside = false;
            } else if (inside && !trimmed.startsWith("assert")) {
                lines.add(line.length() >= 8 ? line.substring(8) : line.strip());
            }
        }
        return lines;
    }

    /** The lines of the first {@code ```java} block of a Markdown file after line {@code from}. */
    private static List<String> javaBlock(List<String> markdown, int from) {
        int start = markdown.subList(from, markdown.size()).indexOf("```java") + from + 1;
        return markdown.subList(start, markdown.subList(start, markdown.size()).indexOf("```") + start);
    }

    @Test
    void documentedCopiesAreThisCode() throws IOException {
        assumeTrue(Files.isRegularFile(DOC) && Files.isRegularFile(SOURCE), "the sources are not at hand");
        List<String> source = Files.readAllLines(SOURCE);
        List<String> doc = Files.readAllLines(DOC);
        assertEquals(String.join("\n", exampleLines(source, "example")), String.join("\n", javaBlock(doc, 0)));
        int vmapSection = doc.indexOf(VMAP_HEADING);
        assertTrue(vmapSection >= 0, "the README has a section " + VMAP_HEADING);
        assertEquals(String.join("\n", exampleLines(source, "vmap example")),
                String.join("\n", javaBlock(doc, vmapSection)));
    }
}
