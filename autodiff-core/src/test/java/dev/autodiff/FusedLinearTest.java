package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused linear layer is the composition it replaces, {@code x·Wᵀ + b} then ReLU, bit for
 * bit: its values, its gradients at every input (the bias's summed over rows, the weight's
 * written into the leaf's gradient), its second derivatives, and its forward-mode tangents.
 * Finite differences check the rule itself in {@link PrimitiveGradientTest}.
 */
class FusedLinearTest {

    private record Layer(Tensor x, Tensor w, Tensor b, Tensor c) {
        static Layer of(long seed, int rows, int in, int out) {
            var rng = new SplittableRandom(seed);
            return new Layer(Tensor.randn(rng, rows, in).requiresGrad(), Tensor.randn(rng, out, in).requiresGrad(),
                    Tensor.randn(rng, out).requiresGrad(), Tensor.randn(rng, rows, out));
        }

        /** The output, and the gradients of {@code Σ c·y} at x, W and b, as arrays. */
        float[][] run(Function<Layer, Tensor> f) {
            for (Tensor t : new Tensor[] {x, w, b}) {
                t.zeroGrad();
            }
            Tensor y = f.apply(this);
            y.mul(c).sum().backward();
            return new float[][] {y.toArray(), x.grad().toArray(), w.grad().toArray(), b.grad().toArray()};
        }
    }

    private static void assertSameBits(float[][] expected, float[][] actual, String what) {
        String[] names = {"values", "x.grad", "W.grad", "b.grad"};
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], what + ": " + names[i]);
        }
    }

    @Test
    void valuesAndGradientsAreTheCompositions() {
        int[][] shapes = {{1, 1, 1}, {3, 4, 2}, {17, 33, 9}, {64, 70, 40}};
        for (int[] s : shapes) {
            Layer layer = Layer.of(s[0] * 100L + s[1], s[0], s[1], s[2]);
            String what = s[0] + "x" + s[1] + "->" + s[2];
            assertSameBits(layer.run(l -> l.x.matmul(l.w, false, true).add(l.b)),
                    layer.run(l -> Functional.linear(l.x, l.w, l.b)), "linear " + what);
            assertSameBits(layer.run(l -> l.x.matmul(l.w, false, true).add(l.b).relu()),
                    layer.run(l -> Functional.linearRelu(l.x, l.w, l.b)), "linearRelu " + what);
            assertEquals("linearRelu", Functional.linearRelu(layer.x, layer.w, layer.b).op());
        }
    }

    @Test
    void secondDerivativesAreTheCompositions() {
        Layer layer = Layer.of(5, 6, 5, 4);
        Function<Function<Layer, Tensor>, float[]> gradientOfGradientNorm = f -> {
            layer.x.zeroGrad();
            layer.w.zeroGrad();
            Tensor y = f.apply(layer);
            Tensor[] g = AD.vjp(a -> f.apply(new Layer(a[0], a[1], layer.b, layer.c)), layer.x, layer.w)
                    .pullback().apply(layer.c);
            g[1].square().sum().add(g[0].square().sum()).backward();
            return concat(y.toArray(), layer.x.grad().toArray(), layer.w.grad().toArray());
        };
        assertArrayEquals(gradientOfGradientNorm.apply(l -> l.x.matmul(l.w, false, true).add(l.b).relu()),
                gradientOfGradientNorm.apply(l -> Functional.linearRelu(l.x, l.w, l.b)));
    }

    @Test
    void tangentsAreTheCompositions() {
        Layer layer = Layer.of(9, 5, 6, 3);
        var rng = new SplittableRandom(10);
        Tensor[] primals = {layer.x.detach(), layer.w.detach(), layer.b.detach()};
        Tensor[] tangents = {Tensor.randn(rng, 5, 6), Tensor.randn(rng, 3, 6), Tensor.randn(rng, 3)};
        Tensor composed = AD.jvp(a -> a[0].matmul(a[1], false, true).add(a[2]).relu(), primals, tangents).tangent();
        Tensor fused = AD.jvp(a -> Functional.linearRelu(a[0], a[1], a[2]), primals, tangents).tangent();
        assertArrayEquals(composed.toArray(), fused.toArray());
    }

    @Test
    void trainingStepsRecycleTheMaskedCotangent() {
        Layer layer = Layer.of(11, 64, 20, 16);
        layer.run(l -> Functional.linearRelu(l.x, l.w, l.b));
        layer.run(l -> Functional.linearRelu(l.x, l.w, l.b));
        Arena arena = Trace.current().arena();
        long made = arena.arraysMade;
        for (int i = 0; i < 3; i++) {
            layer.run(l -> Functional.linearRelu(l.x, l.w, l.b));
        }
        // each step's reads (toArray) keep its output, which the next step replaces: one array a step
        assertEquals(made + 3, arena.arraysMade);
    }

    /**
     * With no input features, as PyTorch: a linear layer of a batch of any rank gives its
     * bias in every row, and a batched product over a shared dimension of 0 gives zeros; the
     * gradients are empty or zero. (A batch of rank 3 was flattened by {@code reshape(-1, 0)},
     * which cannot tell its rows.)
     */
    @Test
    void noInputFeaturesGiveTheBias() {
        Tensor x = Tensor.zeros(2, 3, 0).requiresGrad();
        Tensor w = Tensor.zeros(4, 0).requiresGrad();
        Tensor b = Tensor.vector(1, 2, 3, 4).requiresGrad();
        for (Tensor y : new Tensor[] {Functional.linear(x, w, b), Functional.linearRelu(x, w, b)}) {
            assertArrayEquals(new int[] {2, 3, 4}, y.shape());
            assertArrayEquals(new float[] {1, 2, 3, 4}, y.slice(0, 1, 2).slice(1, 2, 3).reshape(-1).toArray());
        }
        Functional.linear(x, w, b).sum().backward();
        assertArrayEquals(new int[] {2, 3, 0}, x.grad().shape());
        assertArrayEquals(new float[] {6, 6, 6, 6}, b.grad().toArray());
        Tensor product = x.matmul(Tensor.ones(0, 5));
        assertArrayEquals(new int[] {2, 3, 5}, product.shape());
        assertArrayEquals(new float[30], product.toArray());
    }

    private static float[] concat(float[]... parts) {
        int n = 0;
        for (float[] p : parts) {
            n += p.length;
        }
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
