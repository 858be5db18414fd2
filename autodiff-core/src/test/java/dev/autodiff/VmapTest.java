package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.autodiff.VmapPrimitivesTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AD#vmap} composed with the other transforms (per-example gradients of a model,
 * Jacobians, Hessians, nested vmap, vmap inside grad inside vmap), against loops over the
 * examples and closed forms; and what vmap does with randomness, in-place updates,
 * custom ops and mistakes.
 */
class VmapTest {

    private static Tensor row(Tensor x, int b) {
        return x.slice(0, b, b + 1).reshape(java.util.Arrays.copyOfRange(x.shape(), 1, x.rank()));
    }

    // ----------------------------------------------------------------- per-example gradients of a model

    /** A 2-layer MLP's loss on one example: cross-entropy of its logits against a one-hot target. */
    private static Tensor mlpLoss(Tensor... a) {
        Tensor hidden = Functional.linear(a[4], a[0], a[1]).relu();
        Tensor logits = Functional.linear(hidden, a[2], a[3]);
        return logits.logSoftmax(0).mul(a[5]).sum().neg();
    }

    @Test
    void perExampleGradientsOfAnMlpMatchTheLoop() {
        Inputs in = new Inputs(3);
        int batch = 5;
        Tensor w1 = in.normal(0.5f, 16, 8);
        Tensor b1 = in.normal(0.1f, 16);
        Tensor w2 = in.normal(0.5f, 4, 16);
        Tensor b2 = in.normal(0.1f, 4);
        Tensor x = in.normal(batch, 8);
        Tensor targets = Tensor.oneHot(in.labels(batch, 4), 4);
        Tensor[] perExample = AD.vmapMulti(AD.grads(VmapTest::mlpLoss, 0, 1, 2, 3), null, null, null, null, 0, 0)
                .apply(w1, b1, w2, b2, x, targets);
        for (int b = 0; b < batch; b++) {
            Tensor[] expected = AD.grads(VmapTest::mlpLoss, 0, 1, 2, 3).apply(w1, b1, w2, b2, row(x, b), row(targets, b));
            for (int p = 0; p < 4; p++) {
                assertClose("example " + b + ", parameter " + p, expected[p], row(perExample[p], b));
            }
        }
        // Parameters that require a gradient (as a model's do) give the same per-example
        // gradients, and stay differentiable for a transform outside.
        Tensor[] live = {w1.detach().requiresGrad(), b1.detach().requiresGrad(), w2.detach().requiresGrad(),
            b2.detach().requiresGrad()};
        Tensor[] perExampleLive = AD.vmapMulti(AD.grads(VmapTest::mlpLoss, 0, 1, 2, 3), null, null, null, null, 0, 0)
                .apply(live[0], live[1], live[2], live[3], x, targets);
        for (int p = 0; p < 4; p++) {
            assertClose("parameter " + p, perExample[p], perExampleLive[p]);
        }
        perExampleLive[2].square().sum().backward();
        Tensor expected = AD.grad(v -> AD.vmapMulti(AD.grads(VmapTest::mlpLoss, 0, 1, 2, 3), null, null, null, null, 0, 0)
                .apply(w1, b1, v, b2, x, targets)[2].square().sum()).apply(w2);
        assertClose("∇ of Σ‖∂ℓ/∂w2‖² at w2", expected, live[2].grad());
        // The mean of the per-example gradients is the gradient of the mean loss.
        Tensor[] ofMean = AD.grads(a -> AD.vmap(VmapTest::mlpLoss, null, null, null, null, 0, 0).apply(a).mean(),
                0, 1, 2, 3).apply(w1, b1, w2, b2, x, targets);
        for (int p = 0; p < 4; p++) {
            assertClose("parameter " + p, ofMean[p], perExample[p].mean(0));
        }
    }

    @Test
    void anEnsembleOfModelsOnOneBatchWithTheFusedCrossEntropy() {
        // vmap over the models' weights; data and integer labels are shared.
        Inputs in = new Inputs(4);
        Tensor weights = in.normal(3, 5, 6);
        Tensor x = in.normal(4, 6);
        int[] labels = in.labels(4, 5);
        AD.Fn loss = a -> Functional.crossEntropy(Functional.linear(a[1], a[0], null), labels);
        Tensor losses = AD.vmap(loss, 0, null).apply(weights, x);
        Tensor grads = AD.vmap(AD.grad(loss, 0), 0, null).apply(weights, x);
        for (int m = 0; m < 3; m++) {
            assertEquals(loss.apply(row(weights, m), x).item(), losses.get(m), 1e-5f);
            assertClose("model " + m, AD.grad(loss, 0).apply(row(weights, m), x), row(grads, m));
        }
    }

    @Test
    void aParameterThatRequiresGradStillGetsTheSumOfTheExamplesFromBackward() {
        // A leaf used inside vmap belongs to the transforms outside it: backward() on the
        // vmapped result accumulates the gradient of the whole batch, as without vmap.
        Inputs in = new Inputs(5);
        Tensor w = in.normal(3, 4).requiresGrad();
        Tensor x = in.normal(6, 4);
        AD.vmap(xb -> w.matmul(xb).tanh().sum()).apply(x).sum().backward();
        Tensor expected = AD.grad(v -> x.matmul(v, false, true).tanh().sum()).apply(w.detach());
        assertClose("w.grad", expected, w.grad());
    }

    @Test
    void perExampleGradientsWithRespectToTheInputLeaveTheParametersGradientAlone() {
        Inputs in = new Inputs(6);
        Tensor w = in.normal(3, 4).requiresGrad();
        Tensor x = in.normal(5, 4);
        Function<Tensor, Tensor> f = v -> w.matmul(v).tanh().sum();
        Tensor saliency = AD.vmap(AD.grad(f)).apply(x);
        for (int b = 0; b < 5; b++) {
            assertClose("example " + b, AD.grad(f).apply(row(x, b)), row(saliency, b));
        }
        assertNull(w.grad());
    }

    @Test
    void indexTensorsThatDifferByExampleGatherAndScatter() {
        // Per-example labels as an index tensor: each example's log-probability of its label.
        Inputs in = new Inputs(15);
        Tensor logits = in.normal(4, 5);
        Tensor shared = in.normal(5);
        Tensor labels = Tensor.of(new float[] {3, 0, 4, 3}, 4, 1);
        AD.Fn picked = a -> a[0].logSoftmax(0).gather(0, a[1]).sum();
        Integer[][] axes = {{0, 0}, {null, 0}};
        Tensor[][] arguments = {{logits, labels}, {shared, labels}};
        for (int k = 0; k < 2; k++) {
            Tensor[] args = arguments[k];
            Integer[] ax = axes[k];
            Tensor values = AD.vmap(picked, ax).apply(args);
            Tensor grads = AD.vmap(AD.grad(picked, 0), ax).apply(args);
            for (int b = 0; b < 4; b++) {
                Tensor x = ax[0] == null ? shared : row(logits, b);
                Tensor label = row(labels, b);
                assertEquals(picked.apply(x, label).item(), values.get(b), 1e-6f, "example " + b);
                assertClose("example " + b, AD.grad(picked, 0).apply(x, label), row(grads, b));
            }
        }
        // Scattered back: each example's source added at its own positions.
        Tensor sources = in.normal(4, 2);
        Tensor positions = Tensor.of(new float[] {0, 2, 1, 1, 4, 0, 3, 3}, 4, 2);
        Tensor base = in.normal(5);
        AD.Fn scatter = a -> a[0].scatterAdd(0, a[2], a[1]).mul(a[0]).sum();
        Tensor scattered = AD.vmap(scatter, null, 0, 0).apply(base, sources, positions);
        Tensor[] grads = AD.vmapMulti(AD.grads(scatter, 0, 1), null, 0, 0).apply(base, sources, positions);
        for (int b = 0; b < 4; b++) {
            Tensor[] example = {base, row(sources, b), row(positions, b)};
            assertEquals(scatter.apply(example).item(), scattered.get(b), 1e-5f, "example " + b);
            Tensor[] expected = AD.grads(scatter, 0, 1).apply(example);
            assertClose("example " + b + ", base", expected[0], row(grads[0], b));
            assertClose("example " + b + ", source", expected[1], row(grads[1], b));
        }
    }

    // ----------------------------------------------------------------- Jacobians and Hessians

    @Test
    void vmapOfJvpOverTheBasisIsTheJacobian() {
        Function<Tensor, Tensor> f = x -> x.tanh().mul(x.sum()).mul(x.slice(0, 0, 3).exp());
        Tensor x = new Inputs(7).normal(3);
        Tensor columns = AD.vmap(t -> AD.jvp(f, x, t).tangent()).apply(Tensor.eye(3));
        assertClose("J", AD.jacfwd(f).apply(x), columns.transpose());
        AD.Vjp v = AD.vjp(f, x);
        Tensor rows = AD.vmap(c -> v.pullback().apply(c)[0]).apply(Tensor.eye(3));
        assertClose("J", AD.jacrev(f).apply(x), rows);
    }

    @Test
    void theHessianAsVmapOverTheJvpsOfTheGradientAtASharedPoint() {
        // Forward over reverse with the tangents batched and the point shared: the gradient
        // tracks the point inside the vmap, and must keep its batched tangent.
        Function<Tensor, Tensor> f = x -> x.pow(3f).sum().add(x.slice(0, 0, 1).mul(x.slice(0, 1, 2)).sum());
        Tensor x = Tensor.vector(1.5f, -2f);
        Tensor h = AD.vmap(t -> AD.jvp(AD.grad(f), x, t).tangent()).apply(Tensor.eye(2));
        assertArrayEquals(new float[] {9f, 1f, 1f, -12f}, h.toArray(), 1e-4f);
    }

    @Test
    void perExampleHessians() {
        Function<Tensor, Tensor> f = x -> x.pow(3f).sum().add(x.slice(0, 0, 1).mul(x.slice(0, 1, 2)).sum());
        Tensor xs = Tensor.matrix(new float[][] {{1.5f, -2f}, {0.5f, 3f}});
        Tensor h = AD.vmap(AD.hessian(f)).apply(xs);
        assertArrayEquals(new float[] {9f, 1f, 1f, -12f, 3f, 1f, 1f, 18f}, h.toArray(), 1e-4f);
        Tensor hv = AD.vmap(x -> AD.hvp(f, x, Tensor.vector(1f, 0f))).apply(xs);
        assertArrayEquals(new float[] {9f, 1f, 3f, 1f}, hv.toArray(), 1e-4f);
    }

    // ----------------------------------------------------------------- nesting and levels

    @Test
    void nestedVmapMapsOverTwoAxes() {
        Inputs in = new Inputs(8);
        Tensor a = in.normal(3, 4);
        Tensor b = in.normal(5, 4);
        // Every pair's dot product: the outer vmap takes rows of a, the inner rows of b.
        AD.Fn dot = x -> x[0].mul(x[1]).sum();
        Tensor pairs = AD.vmap(AD.vmap(dot, null, 0), 0, null).apply(a, b);
        assertClose("A·Bᵀ", a.matmul(b.transpose()), pairs);
        // Over two axes of one tensor, the inner one along the last axis of each outer example.
        Tensor t = in.normal(3, 4, 5);
        Tensor sums = AD.vmap(x -> AD.vmap(y -> y[0].exp().sum(), -1).apply(x)).apply(t);
        assertClose("Σ exp", t.exp().sum(new int[] {1}, false), sums);
        // Per-example gradients of a per-example function, nested.
        Tensor g = AD.vmap(AD.vmap(AD.grad(x -> x.tanh().sum()))).apply(t);
        assertClose("1 - tanh²", t.tanh().square().neg().add(1f), g);
    }

    @Test
    void vmapInsideGradInsideVmapKeepsItsLevelsApart() {
        // For each x: d/dy Σ_z Σ tanh(y·z·x) at y = x, which is Σ_z Σ z·x·(1 - tanh²(x·z·x)).
        Inputs in = new Inputs(9);
        Tensor xs = in.normal(4, 3);
        Tensor zs = in.normal(5, 3);
        Tensor result = AD.vmap(x -> AD.grad(y -> AD.vmap(z -> y.mul(z).mul(x).tanh().sum()).apply(zs).sum())
                .apply(x)).apply(xs);
        for (int b = 0; b < 4; b++) {
            Tensor x = row(xs, b);
            Tensor expected = Tensor.zeros(3);
            for (int k = 0; k < 5; k++) {
                Tensor z = row(zs, k);
                Tensor t = x.mul(z).mul(x).tanh();
                expected = expected.add(z.mul(x).mul(t.square().neg().add(1f)));
            }
            assertClose("x " + b, expected, row(result, b));
        }
    }

    @Test
    void perturbationsOfJvpAndGradInsideVmapAreNotConfused() {
        // d/dx [x · Σ_y d/dt (x + t)] = Σ_y 1 = number of ys, for every x: the inner derivative
        // must not see the outer perturbation of x.
        Tensor ys = Tensor.vector(1f, 2f, 3f);
        Function<Tensor, Tensor> outer = x -> x.mul(AD.vmap(
                y -> AD.jvp(t -> x.add(t), y, Tensor.scalar(1f)).tangent()).apply(ys).sum());
        Tensor xs = Tensor.vector(0.5f, -2f);
        assertArrayEquals(new float[] {3f, 3f}, AD.vmap(AD.grad(outer)).apply(xs).toArray());
        assertArrayEquals(new float[] {3f, 3f},
                AD.vmap(x -> AD.jvp(outer, x, Tensor.scalar(1f)).tangent()).apply(xs).toArray());
        assertEquals(3f, AD.grad(outer).apply(Tensor.scalar(0.5f)).item());
    }

    @Test
    void jvpOutsideVmapSeesThroughATensorCapturedInside() {
        Inputs in = new Inputs(10);
        Tensor xs = in.normal(4, 3);
        Tensor c = in.normal(3);
        Tensor dc = in.normal(3);
        Function<Tensor, Tensor> f = cc -> AD.vmap(x -> x.mul(cc).tanh().sum()).apply(xs);
        Tensor jv = AD.jvp(f, c, dc).tangent();
        Tensor expected = xs.mul(dc).mul(xs.mul(c).tanh().square().neg().add(1f)).sum(1);
        assertClose("J·dc", expected, jv);
    }

    /** {@code in[0]·in[1]}, counting how often its JVP runs. */
    private static CustomOp countingProduct(AtomicInteger jvps) {
        return CustomOp.of("product", 2, in -> in[0].mul(in[1]),
                (in, out, g) -> new Tensor[] {g.mul(in[1]), g.mul(in[0])},
                (in, out, t) -> {
                    jvps.incrementAndGet();
                    return Elementwise.sum(t[0] == null ? null : t[0].mul(in[1]), t[1] == null ? null : in[0].mul(t[1]));
                });
    }

    @Test
    void eachLevelComputesItsOwnDerivativesOnce() {
        Tensor xs = new Inputs(13).normal(4, 3);
        Tensor c = Tensor.vector(1f, 2f, 3f);
        // A jvp outside the vmap: its tangents flow through the stacked examples only (the
        // custom op runs per example), not once more through the batched op.
        AtomicInteger jvps = new AtomicInteger();
        CustomOp product = countingProduct(jvps);
        Tensor outside = AD.jvp(cc -> AD.vmap(x -> product.apply(cc, x).sum()).apply(xs), c, Tensor.ones(3)).tangent();
        assertClose("Σ x", xs.sum(1), outside);
        assertEquals(4, jvps.get());
        // A jvp inside the vmap, its tangent shared: once, on the batched op; the stacked
        // examples' computation does not see it.
        jvps.set(0);
        Tensor inside = AD.vmap(x -> AD.jvp(cc -> product.apply(cc, x).sum(), c, Tensor.ones(3)).tangent()).apply(xs);
        assertClose("Σ x", xs.sum(1), inside);
        assertEquals(1, jvps.get());
        // A parameter outside the vmap is recorded on the stacked examples only.
        Tensor w = Tensor.vector(1f, 2f, 3f).requiresGrad();
        AD.vmap(x -> {
            Tensor y = x.mul(w);
            assertTrue(y.isLeaf() && !y.isRequiringGrad(), "nothing inside the vmap differentiates y");
            return y;
        }).apply(xs).sum().backward();
        assertClose("Σ x", xs.sum(0), w.grad());
    }

    @Test
    void gradientOfPerExampleGradientNormsMatchesTheLoop() {
        // Σ_b ‖∇_w ℓ(w, x_b)‖², differentiated with respect to w: grad over vmap over grad.
        Inputs in = new Inputs(11);
        Tensor w = in.normal(3, 4);
        Tensor xs = in.normal(5, 4);
        AD.Fn loss = a -> a[0].matmul(a[1]).tanh().sum();
        Function<Tensor, Tensor> penalty = ww -> AD.vmap(AD.grad(loss, 0), null, 0).apply(ww, xs).square().sum();
        Tensor batched = AD.grad(penalty).apply(w);
        Tensor expected = Tensor.zeros(3, 4);
        for (int b = 0; b < 5; b++) {
            Tensor x = row(xs, b);
            expected = expected.add(AD.grad(ww -> AD.grad(loss, 0).apply(ww, x).square().sum()).apply(w));
        }
        assertClose("∇ Σ‖∇ℓ‖²", expected, batched);
    }

    // ----------------------------------------------------------------- axes and shapes

    @Test
    void axesMayBeNegativeAndTheResultsBatchAxisMayMove() {
        Tensor x = Tensor.arange(6).reshape(2, 3);
        Tensor columnSums = AD.vmap(a -> a[0].sum(), -1).apply(x);
        assertArrayEquals(new float[] {3f, 5f, 7f}, columnSums.toArray());
        Tensor moved = AD.vmap(a -> a[0].mul(2f), 0).outAxis(1).apply(x);
        assertArrayEquals(new int[] {3, 2}, moved.shape());
        assertArrayEquals(x.mul(2f).transpose().toArray(), moved.toArray());
        Tensor[] both = AD.vmapMulti(a -> new Tensor[] {a[0].exp(), a[0].sum()}, 0).outAxes(-1, 0).apply(x);
        assertArrayEquals(x.exp().transpose().toArray(), both[0].toArray());
        assertArrayEquals(new float[] {3f, 12f}, both[1].toArray());
    }

    @Test
    void aResultSharedByEveryExampleIsBroadcast() {
        Tensor c = Tensor.vector(1f, 2f);
        Tensor out = AD.vmap(x -> c).apply(Tensor.zeros(3, 5));
        assertArrayEquals(new int[] {3, 2}, out.shape());
        assertArrayEquals(new float[] {1f, 2f, 1f, 2f, 1f, 2f}, out.toArray());
        Tensor[] grads = AD.vmapMulti(AD.grads(a -> a[0].sum()), 0, null).apply(Tensor.zeros(3, 2), Tensor.ones(4));
        assertArrayEquals(new int[] {3, 4}, grads[1].shape());
        assertArrayEquals(new float[12], grads[1].toArray());
    }

    @Test
    void anEmptyBatch() {
        Tensor w = Tensor.ones(2, 3);
        Tensor out = AD.vmap(x -> w.matmul(x).exp().sum()).apply(Tensor.zeros(0, 3));
        assertArrayEquals(new int[] {0}, out.shape());
        Tensor g = AD.vmap(AD.grad(x -> x.tanh().sum())).apply(Tensor.zeros(0, 3));
        assertArrayEquals(new int[] {0, 3}, g.shape());
    }

    @Test
    void aBatchedTensorPrintsItsExamples() {
        String[] seen = new String[1];
        AD.vmap(x -> {
            seen[0] = x.toString();
            return x;
        }).apply(Tensor.arange(4).reshape(2, 2));
        assertEquals("batched(2 examples of shape [2], vmap level " + seen[0].replaceAll(".*level (\\d+).*", "$1")
                + ": tensor([[0., 1.], [2., 3.]], shape=[2, 2]))", seen[0]);
    }

    // ----------------------------------------------------------------- randomness, in-place updates, custom ops

    @Test
    void randomTensorsDrawnInsideAreSharedByEveryExample() {
        SplittableRandom rng = new SplittableRandom(1);
        Tensor out = AD.vmap(x -> x.add(Tensor.randn(rng, 3))).apply(Tensor.zeros(4, 3));
        for (int b = 1; b < 4; b++) {
            assertArrayEquals(row(out, 0).toArray(), row(out, b).toArray());
        }
    }

    @Test
    void inPlaceUpdatesOfABatchedTensorUpdateEachExample() {
        Tensor xs = Tensor.arange(6).reshape(3, 2);
        Tensor shared = Tensor.vector(10f, 20f);
        Tensor out = AD.vmap(x -> {
            Tensor y = x.mul(1f);
            y.addInPlace(shared, 2f);
            y.mulInPlace(0.5f);
            return y.clampInPlace(0f, 15f);
        }).apply(xs);
        assertArrayEquals(new float[] {10f, 15f, 11f, 15f, 12f, 15f}, out.toArray());
        Tensor target = Tensor.zeros(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AD.vmap(x -> target.addInPlace(x, 1f)).apply(xs));
        assertEquals("mulAddInPlace: cannot write a value that differs by example (vmap, operand of shape [2]) into "
                + "a tensor of shape [2] shared by every example; compute a new tensor instead", e.getMessage());
        assertArrayEquals(new float[2], target.toArray());
    }

    @Test
    void aCustomOpRunsItsForwardOncePerExampleAndItsRulesBatched() {
        AtomicInteger forwards = new AtomicInteger();
        CustomOp cube = CustomOp.of("cube", 1, in -> {
            forwards.incrementAndGet();
            return in[0].pow(3f);
        }, (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(3f)});
        Tensor xs = new Inputs(12).normal(4, 3);
        Tensor g = AD.vmap(AD.grad(x -> cube.apply(x).sum())).apply(xs);
        assertEquals(4, forwards.get());
        assertClose("3x²", xs.square().mul(3f), g);
        // Forward mode transposes the VJP, inside vmap too.
        Tensor jv = AD.vmap(x -> AD.jvp(cube::apply, new Tensor[] {x}, new Tensor[] {x.onesLike()}).tangent()).apply(xs);
        assertClose("3x²", xs.square().mul(3f), jv);
        Tensor h = AD.vmap(AD.hessian(x -> cube.apply(x).sum())).apply(xs);
        assertClose("diag(6x)", AD.vmap(x -> Tensor.eye(3).mul(x.mul(6f))).apply(xs), h);
    }

    @Test
    void aCustomOpWithABatchingRuleRunsItOnceUnderEveryTransform() {
        // x·s·s for a vector x and a scalar s, without a JVP (forward mode transposes the VJP);
        // the batching rule lines s up with x's batch axis when s is mapped.
        AtomicInteger forwards = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        CustomOp op = CustomOp.of("xss", 2, in -> {
            forwards.incrementAndGet();
            return in[0].mul(in[1]).mul(in[1]);
        }, (in, out, g) -> new Tensor[] {g.mul(in[1]).mul(in[1]), g.mul(in[0]).mul(in[1]).sum().mul(2f)})
                .batchedBy((in, mapped) -> {
                    batches.incrementAndGet();
                    Tensor s = mapped[1] ? in[1].reshape(-1, 1) : in[1];
                    return in[0].mul(s).mul(s);
                });
        AD.Fn composed = a -> a[0].mul(a[1]).mul(a[1]);
        Inputs in = new Inputs(14);
        Tensor xs = in.normal(4, 3);
        Tensor ss = in.normal(4);
        Tensor x = in.normal(3);
        Tensor s = in.normal();
        Tensor[][] arguments = {{xs, ss}, {xs, s}, {x, ss}};
        Integer[][] axes = {{0, 0}, {0, null}, {null, 0}};
        for (int k = 0; k < 3; k++) {
            Tensor[] args = arguments[k];
            Integer[] ax = axes[k];
            String how = "in-axes " + java.util.Arrays.toString(ax);
            forwards.set(0);
            batches.set(0);
            assertClose(how, AD.vmap(composed, ax).apply(args), AD.vmap(op::apply, ax).apply(args));
            assertEquals(0, forwards.get(), how);
            assertEquals(1, batches.get(), how);
            // Inside the vmap: the op's own rules, batched.
            for (int arg = 0; arg < 2; arg++) {
                int i = arg;
                assertClose(how + ", vmap(grad) of argument " + i,
                        AD.vmap(AD.grad(a -> composed.apply(a).sum(), i), ax).apply(args),
                        AD.vmap(AD.grad(a -> op.apply(a).sum(), i), ax).apply(args));
            }
            assertClose(how + ", vmap(jvp)",
                    AD.vmap(a -> AD.jvp(composed, a, new Tensor[] {a[0], a[1]}).tangent(), ax).apply(args),
                    AD.vmap(a -> AD.jvp(op::apply, a, new Tensor[] {a[0], a[1]}).tangent(), ax).apply(args));
            // Outside the vmap: the rules vmapped over the examples.
            Tensor[] expected = AD.grads(a -> AD.vmap(composed, ax).apply(a).tanh().sum()).apply(args);
            Tensor[] actual = AD.grads(a -> AD.vmap(op::apply, ax).apply(a).tanh().sum()).apply(args);
            for (int i = 0; i < 2; i++) {
                assertClose(how + ", grad(vmap) of argument " + i, expected[i], actual[i]);
            }
            Tensor[] tangents = {args[0].onesLike(), args[1].onesLike()};
            assertClose(how + ", jvp(vmap)", AD.jvp(AD.vmap(composed, ax), args, tangents).tangent(),
                    AD.jvp(AD.vmap(op::apply, ax), args, tangents).tangent());
            assertClose(how + ", Hessian of the vmapped sum in x",
                    AD.hessian(v -> AD.vmap(composed, ax).apply(v, args[1]).sum()).apply(args[0]),
                    AD.hessian(v -> AD.vmap(op::apply, ax).apply(v, args[1]).sum()).apply(args[0]));
        }
        // Nested, the rule batches the outer vmap (2 examples), once per example of the inner one (4).
        forwards.set(0);
        batches.set(0);
        Tensor xss = in.normal(2, 4, 3);
        assertClose("nested", AD.vmap(AD.vmap(composed, 0, null), 0, null).apply(xss, s),
                AD.vmap(AD.vmap(op::apply, 0, null), 0, null).apply(xss, s));
        assertEquals(0, forwards.get());
        assertEquals(4, batches.get());
    }

    // ----------------------------------------------------------------- mistakes

    @Test
    void mismatchedBatchSizesNameTheArgumentsAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AD.vmap(a -> a[0].add(a[2]), 0, null, 1).apply(Tensor.zeros(4, 3), Tensor.zeros(2), Tensor.zeros(3, 5)));
        assertEquals("vmap: argument 0 has 4 examples along axis 0 (shape [4, 3]) but argument 2 has 5 along axis 1 "
                + "(shape [3, 5])", e.getMessage());
    }

    @Test
    void badAxesAreNamed() {
        Tensor x = Tensor.zeros(2, 3);
        assertEquals("vmap: every in-axis is null, so no argument is mapped; give at least one argument an axis to map over",
                assertThrows(IllegalArgumentException.class, () -> AD.vmap(a -> a[0], (Integer) null).apply(x)).getMessage());
        assertEquals("vmap: in-axis 2 of argument 0 is out of range for its shape [2, 3]",
                assertThrows(IllegalArgumentException.class, () -> AD.vmap(a -> a[0], 2).apply(x)).getMessage());
        assertEquals("vmap: argument 1 is a scalar, which has no axis 0 to map over; give it the in-axis null to share it",
                assertThrows(IllegalArgumentException.class,
                        () -> AD.vmap(a -> a[0], 0, 0).apply(x, Tensor.scalar(1f))).getMessage());
        assertEquals("vmap: 1 in-axes for 2 arguments",
                assertThrows(IllegalArgumentException.class, () -> AD.vmap(a -> a[0], 0).apply(x, x)).getMessage());
        assertEquals("vmap: out-axis 3 of result 0 is out of range for its shape [3] with a batch axis",
                assertThrows(IllegalArgumentException.class, () -> AD.vmap(a -> a[0], 0).outAxis(3).apply(x)).getMessage());
        assertEquals("vmap: 1 out-axes for 2 results", assertThrows(IllegalArgumentException.class,
                () -> AD.vmapMulti(a -> new Tensor[] {a[0], a[0]}, 0).outAxes(0).apply(x)).getMessage());
    }

    @Test
    void readingAValueThatDiffersByExampleSaysWhy() {
        Tensor xs = Tensor.zeros(3, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> AD.vmap(x -> Tensor.scalar(x.sum().item())).apply(xs));
        assertEquals("item: this tensor is batched by vmap (3 examples of shape []), so it has no single array of "
                + "values; return it from the vmapped function to get them stacked", e.getMessage());
        assertThrows(IllegalStateException.class, () -> AD.vmap(x -> Tensor.vector(x.toArray())).apply(xs));
        assertThrows(IllegalStateException.class, () -> AD.vmap(x -> Tensor.scalar(x.values().get(0))).apply(xs));
        e = assertThrows(IllegalStateException.class, () -> AD.vmap(x -> x.mul(1f).writeInPlace(v -> v[0] = 1f)).apply(xs));
        assertTrue(e.getMessage().startsWith("writeInPlace: this tensor is batched by vmap"), e.getMessage());
    }

    @Test
    void backwardAndRequiresGradInsideVmapPointToGrad() {
        Tensor xs = Tensor.zeros(3, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AD.vmap(x -> {
            x.sum().backward();
            return x;
        }).apply(xs));
        assertTrue(e.getMessage().startsWith("backward: inside vmap a loss has a value per example"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> AD.vmap(x -> x.mul(1f).requiresGrad()).apply(xs));
        assertTrue(e.getMessage().startsWith("requiresGrad: a tensor batched by vmap cannot accumulate"), e.getMessage());
    }

    @Test
    void aBatchedTensorUsedAfterItsVmapReturnedIsCaught() {
        Tensor[] kept = new Tensor[1];
        AD.vmap(x -> {
            kept[0] = x.exp();
            return x;
        }).apply(Tensor.zeros(3, 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].add(1f));
        assertEquals("add: a tensor batched by vmap is used after its vmap call returned (kept in a field or a variable "
                + "outside the function); return it from the vmapped function instead", e.getMessage());
    }
}
