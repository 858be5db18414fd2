package dev.autodiff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worked examples of the references this project starts from, against their closed forms. */
class WorkedExamplesTest {

    @Test
    void gradOfTanhAtTwo() {
        Tensor g = AD.grad(x -> x.tanh()).apply(Tensor.scalar(2f));
        double t = Math.tanh(2.0);
        assertEquals(1 - t * t, g.item(), 1e-6);
        assertEquals(0.0706508, g.item(), 1e-6);
    }

    @Test
    void totalDerivativeThroughTwoPaths() {
        // a = x², b = 5a, c = b·a, L = -c: dL/dx = -20x³
        Tensor x = Tensor.scalar(2f).requiresGrad();
        Tensor a = x.square();
        Tensor b = a.mul(5f);
        Tensor c = b.mul(a);
        Tensor loss = c.neg();
        loss.backward();
        assertEquals(-160f, x.grad().item(), 1e-4);
    }

    @Test
    void totalDerivativeWithLog() {
        // a = x², b = 5a, c = log a, g = b·c, L = -g: dL/dx = -(10x·log x² + 10x)
        Tensor x = Tensor.scalar(2f).requiresGrad();
        Tensor a = x.square();
        Tensor loss = a.mul(5f).mul(a.log()).neg();
        loss.backward();
        double expected = -(10 * 2 * Math.log(4) + 10 * 2);
        assertEquals(expected, x.grad().item(), 1e-4);
    }

    /** f: R⁴ → R³, f(x) = (x0·x1, sin-free x2² + x3, exp(x0) · x3). */
    private static Tensor f(Tensor x) {
        Tensor x0 = x.slice(0, 0, 1);
        Tensor x1 = x.slice(0, 1, 2);
        Tensor x2 = x.slice(0, 2, 3);
        Tensor x3 = x.slice(0, 3, 4);
        return Tensor.concat(0, x0.mul(x1), x2.square().add(x3), x0.exp().mul(x3));
    }

    @Test
    void jacobianByColumnsRowsAndHand() {
        float[] v = {0.5f, -1.5f, 2f, 0.25f};
        Tensor x = Tensor.vector(v);
        Tensor byColumns = AD.jacfwd(WorkedExamplesTest::f).apply(x);
        Tensor byRows = AD.jacrev(WorkedExamplesTest::f).apply(x);
        float e0 = (float) Math.exp(v[0]);
        float[] analytic = {
            v[1], v[0], 0, 0,
            0, 0, 2 * v[2], 1,
            e0 * v[3], 0, 0, e0,
        };
        assertArrayEquals(new int[] {3, 4}, byColumns.shape());
        assertArrayEquals(analytic, byColumns.toArray(), 1e-6f);
        assertArrayEquals(analytic, byRows.toArray(), 1e-6f);
    }

    @Test
    void linearRegressionGradient() {
        var rng = new SplittableRandom(1);
        int n = 20;
        Tensor xs = Tensor.randn(rng, n, 3);
        Tensor y = Tensor.randn(rng, n, 1);
        Tensor w = Tensor.randn(rng, 3, 1);
        Tensor g = AD.grad(wt -> Functional.mse(xs.matmul(wt), y)).apply(w);
        // dL/dw = -2/N · Xᵀ(y - Xw)
        Tensor expected = xs.transpose().matmul(y.sub(xs.matmul(w))).mul(-2f / n);
        assertArrayEquals(expected.toArray(), g.toArray(), 1e-5f);
    }

    @Test
    void tenStepsOfGradientDescentOnWxEqualsY() {
        Tensor w = Tensor.ones(2, 3);
        Tensor x = Tensor.vector(-1f, 1f, 1f);
        Tensor y = Tensor.vector(1f, 2f);
        Function<Tensor, Tensor> loss = wt -> wt.matmul(x).sub(y).square().sum();
        float previous = Float.POSITIVE_INFINITY;
        for (int step = 0; step < 10; step++) {
            AD.ValueAndGrad<Void> vg = AD.valueAndGrad(loss).apply(w);
            Tensor residual = w.matmul(x).sub(y);
            // gradient = outer(2(Wx - y), x)
            Tensor outer = residual.mul(2f).reshape(2, 1).matmul(x.reshape(1, 3));
            assertArrayEquals(outer.toArray(), vg.grad().toArray(), 1e-6f);
            assertTrue(vg.value().item() < previous, "loss must fall at step " + step);
            previous = vg.value().item();
            w = w.sub(vg.grad().mul(0.1f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sigmoid", "tanh", "relu"})
    void twoLayerNetworkMatchesHandDerivedGradients(String activation) {
        var rng = new SplittableRandom(3);
        int n = 6;
        int d = 4;
        int h = 5;
        int k = 3;
        float lambda = 0.01f;
        Tensor xs = Tensor.randn(rng, n, d);
        int[] labels = {0, 2, 1, 1, 0, 2};
        Tensor w1 = Tensor.randn(rng, d, h).requiresGrad();
        Tensor b1 = Tensor.randn(rng, h).requiresGrad();
        Tensor w2 = Tensor.randn(rng, h, k).requiresGrad();
        Tensor b2 = Tensor.randn(rng, k).requiresGrad();
        Function<Tensor, Tensor> sigma = switch (activation) {
            case "sigmoid" -> Tensor::sigmoid;
            case "tanh" -> Tensor::tanh;
            default -> Tensor::relu;
        };
        Tensor z1 = xs.matmul(w1).add(b1);
        Tensor h1 = sigma.apply(z1);
        Tensor z2 = h1.matmul(w2).add(b2);
        Tensor p = z2.softmax(1);
        Tensor y = Tensor.oneHot(labels, k);
        Tensor loss = p.log().mul(y).sum().mul(-1f / n)
                .add(w1.square().sum().add(w2.square().sum()).mul(lambda));
        loss.backward();

        try (var scope = NoGrad.enter()) {
            Tensor dz2 = p.sub(y).div(n);
            Tensor dw2 = h1.transpose().matmul(dz2).add(w2.mul(2 * lambda));
            Tensor db2 = dz2.sum(0);
            Tensor sigmaPrime = switch (activation) {
                case "sigmoid" -> h1.mul(h1.neg().add(1f));
                case "tanh" -> h1.square().neg().add(1f);
                default -> z1.gt(0f);
            };
            Tensor dz1 = dz2.matmul(w2.transpose()).mul(sigmaPrime);
            Tensor dw1 = xs.transpose().matmul(dz1).add(w1.mul(2 * lambda));
            Tensor db1 = dz1.sum(0);
            assertArrayEquals(dw2.toArray(), w2.grad().toArray(), 1e-5f);
            assertArrayEquals(db2.toArray(), b2.grad().toArray(), 1e-5f);
            assertArrayEquals(dw1.toArray(), w1.grad().toArray(), 1e-5f);
            assertArrayEquals(db1.toArray(), b1.grad().toArray(), 1e-5f);
        }
        // and the fused cross-entropy's gradient at the logits is (P - Y)/N
        Tensor logits = z2.detach().requiresGrad();
        Functional.crossEntropy(logits, labels).backward();
        assertArrayEquals(p.sub(y).div(n).toArray(), logits.grad().toArray(), 1e-6f);
    }
}
