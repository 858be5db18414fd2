package dev.autodiff;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The arena: a training step reuses the arrays of the step before, results are the bits of
 * fresh arrays, and every way a user holds on to a tensor either reads the right values or
 * fails with a message that says why and what to do.
 */
class RecyclingTest {
    private static final int BATCH = 32;
    private static final int IN = 20;
    private static final int HIDDEN = 24;
    private static final int CLASSES = 10;

    @AfterEach
    void stopPoisoning() {
        Trace.current().arena().poison = false;
    }

    /** A two-layer ReLU classifier trained by plain SGD, the step of a user's loop. */
    private static final class Mlp {
        final Tensor w1;
        final Tensor b1;
        final Tensor w2;
        final Tensor b2;
        final Tensor x;
        final int[] labels;

        Mlp(long seed) {
            var rng = new SplittableRandom(seed);
            w1 = Tensor.randn(rng, HIDDEN, IN).mul(0.3f).detach().requiresGrad();
            b1 = Tensor.randn(rng, HIDDEN).mul(0.1f).detach().requiresGrad();
            w2 = Tensor.randn(rng, CLASSES, HIDDEN).mul(0.3f).detach().requiresGrad();
            b2 = Tensor.zeros(CLASSES).requiresGrad();
            x = Tensor.randn(rng, BATCH, IN);
            labels = new int[BATCH];
            for (int i = 0; i < BATCH; i++) {
                labels[i] = rng.nextInt(CLASSES);
            }
        }

        Tensor hidden() {
            return Functional.linear(x, w1, b1).relu();
        }

        Tensor logits(Tensor hidden) {
            return Functional.linear(hidden, w2, b2);
        }

        /** Forward and backward; the update is left to {@link #update}. */
        Tensor loss(Tensor logits) {
            Tensor loss = Functional.crossEntropy(logits, labels).add(w1.square().sum().mul(1e-3f));
            for (Tensor p : List.of(w1, b1, w2, b2)) {
                p.zeroGrad();
            }
            loss.backward();
            return loss;
        }

        void update() {
            for (Tensor p : List.of(w1, b1, w2, b2)) {
                p.addInPlace(p.grad(), -0.1f);
            }
        }

        float step() {
            Tensor loss = loss(logits(hidden()));
            update();
            return loss.item();
        }

        float[] parameters() {
            float[] all = new float[0];
            for (Tensor p : List.of(w1, b1, w2, b2)) {
                float[] v = p.toArray();
                float[] joined = java.util.Arrays.copyOf(all, all.length + v.length);
                System.arraycopy(v, 0, joined, all.length, v.length);
                all = joined;
            }
            return all;
        }

        /** The logits for the current parameters, computed under NoGrad: the reference values. */
        float[] logitsNow() {
            try (var scope = NoGrad.enter()) {
                return logits(hidden()).toArray();
            }
        }
    }

    private static <T> T onFreshThread(Supplier<T> task) throws InterruptedException {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                result.set(task.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        return result.get();
    }

    @Test
    void aStepMakesNoNewArrayOnceTheFirstHaveBeenHandedBack() {
        Mlp mlp = new Mlp(1);
        mlp.step();
        mlp.step();
        Arena arena = Trace.current().arena();
        long made = arena.arraysMade;
        for (int i = 0; i < 5; i++) {
            mlp.step();
        }
        assertEquals(made, arena.arraysMade, "steps of one shape recycle every array");
        assertNotNull(mlp.hidden().lease, "a recorded op's output comes from the arena");
    }

    @Test
    void recycledArraysGiveTheBitsOfFreshOnes() throws InterruptedException {
        // every step on a thread of its own: a fresh arena, so every array is new (zeroed)
        Mlp fresh = new Mlp(2);
        float[] freshLosses = new float[6];
        for (int i = 0; i < freshLosses.length; i++) {
            freshLosses[i] = onFreshThread(fresh::step);
        }
        // the same steps on one thread, recycled arrays filled with NaN before reuse: an op that
        // left an element unwritten would show
        Trace.current().arena().poison = true;
        Mlp recycled = new Mlp(2);
        float[] recycledLosses = new float[6];
        for (int i = 0; i < recycledLosses.length; i++) {
            recycledLosses[i] = recycled.step();
        }
        assertArrayEquals(freshLosses, recycledLosses);
        assertArrayEquals(fresh.parameters(), recycled.parameters());
    }

    @Test
    void lossesReadAfterBackwardOrKeptInAListStayRight() {
        Mlp mlp = new Mlp(3);
        List<Tensor> losses = new ArrayList<>();
        List<Float> read = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Tensor loss = mlp.loss(mlp.logits(mlp.hidden()));
            read.add(loss.item());
            losses.add(loss);
            mlp.update();
        }
        for (int i = 0; i < losses.size(); i++) {
            assertEquals(read.get(i), losses.get(i).item(), "loss of step " + i);
        }
    }

    @Test
    void logitsReadAfterBackwardAreTheForwardValuesAndStaySo() {
        Mlp mlp = new Mlp(4);
        mlp.step();
        float[] expected = mlp.logitsNow();
        Tensor logits = mlp.logits(mlp.hidden());
        mlp.loss(logits);
        // accuracy from the logits after backward(), as a training loop computes it
        assertArrayEquals(expected, logits.toArray());
        int[] predicted = logits.argmax();
        mlp.update();
        for (int i = 0; i < 4; i++) {
            mlp.step();
        }
        assertArrayEquals(expected, logits.toArray(), "a tensor read after backward() is kept");
        assertArrayEquals(predicted, logits.argmax());
    }

    @Test
    void detachedAndNoGradTensorsAreNeverRecycled() {
        Mlp mlp = new Mlp(5);
        List<Tensor> detached = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        List<Tensor> evaluated = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            expected.add(mlp.logitsNow());
            try (var scope = NoGrad.enter()) {
                evaluated.add(mlp.logits(mlp.hidden()));
            }
            Tensor logits = mlp.logits(mlp.hidden());
            detached.add(logits.detach());
            mlp.loss(logits);
            mlp.update();
        }
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(expected.get(i), detached.get(i).toArray(), "detached logits of step " + i);
            assertArrayEquals(expected.get(i), evaluated.get(i).toArray(), "logits under NoGrad of step " + i);
        }
    }

    @Test
    void aValuesBufferKeepsItsArray() {
        Mlp mlp = new Mlp(6);
        float[] expected = mlp.logitsNow();
        Tensor logits = mlp.logits(mlp.hidden());
        var buffer = logits.values();
        mlp.loss(logits);
        mlp.update();
        for (int i = 0; i < 3; i++) {
            mlp.step();
        }
        float[] seen = new float[buffer.limit()];
        buffer.get(0, seen);
        assertArrayEquals(expected, seen);
    }

    @Test
    void tensorsKeptUnreadGiveTheirValuesOrAClearError() {
        Mlp mlp = new Mlp(7);
        List<Tensor> kept = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            expected.add(mlp.logitsNow());
            Tensor hidden = mlp.hidden();
            Tensor logits = mlp.logits(hidden);
            kept.add(logits);
            kept.add(hidden);
            mlp.loss(logits);
            mlp.update();
        }
        int failed = 0;
        for (int i = 0; i < kept.size(); i += 2) {
            Tensor logits = kept.get(i);
            try {
                assertArrayEquals(expected.get(i / 2), logits.toArray(), "logits of step " + i / 2);
            } catch (IllegalStateException e) {
                failed++;
                assertRecycledMessage(e, "linear");
            }
            try {
                kept.get(i + 1).toArray();
            } catch (IllegalStateException e) {
                failed++;
                assertRecycledMessage(e, "relu");
            }
        }
        assertTrue(failed > 0, "some kept tensor's array was recycled, or this test checks nothing");
    }

    private static void assertRecycledMessage(IllegalStateException e, String op) {
        String m = e.getMessage();
        assertTrue(m.contains("'" + op + "'") && m.contains("backward() has freed") && m.contains("detach()")
                && m.contains("NoGrad"), m);
    }

    /** x.exp() summed: the exp's output, its cotangent and the sum's broadcast cotangent go back to the arena. */
    private static Tensor recycledExp() {
        Tensor x = Tensor.full(0.5f, 1000).requiresGrad();
        Tensor y = x.exp();
        y.sum().backward();
        for (int i = 0; i < 3; i++) {
            x.exp(); // recorded ops of the same length take every array handed back
        }
        return y;
    }

    @Test
    void everyReadOrWriteOfARecycledTensorFails() {
        List<java.util.function.Consumer<Tensor>> uses = List.of(
                Tensor::toArray, t -> t.get(3), Tensor::values, Tensor::detach, Tensor::sumOfSquares,
                t -> t.add(1f), t -> t.mul(t), Tensor::relu, t -> t.reshape(10, 100), Tensor::sum,
                t -> t.reshape(1, 1000).matmul(Tensor.ones(1000, 2)), t -> t.mulInPlace(2f),
                t -> t.copyFrom(Tensor.zeros(1000)), t -> t.writeInPlace(v -> v[0] = 1f), t -> t.slice(0, 0, 5),
                t -> Tensor.concat(0, t, t), t -> t.broadcastTo(2, 1000), t -> t.softmax(0), Tensor::toIntArray);
        for (var use : uses) {
            Tensor y = recycledExp();
            var e = assertThrows(IllegalStateException.class, () -> use.accept(y));
            assertRecycledMessage(e, "exp");
        }
        String text = recycledExp().toString();
        assertTrue(text.contains("recycled") && text.contains("shape=[1000]") && text.contains("op=exp"), text);
    }

    @Test
    void aKeptGraphAndItsGradientsAreNotRecycled() {
        Tensor x = Tensor.full(0.5f, 1000).requiresGrad();
        Tensor y = x.exp();
        Tensor loss = y.sum();
        loss.backward(Tensor.scalar(1f), true, false);
        for (int i = 0; i < 4; i++) {
            x.exp().sum().backward();
        }
        assertEquals((float) Math.exp(0.5), y.get(999), "the kept graph's tensors keep their values");
        loss.backward();
        assertEquals(6 * (float) Math.exp(0.5), x.grad().get(0), 1e-4f);
        for (int i = 0; i < 4; i++) {
            x.zeroGrad();
            x.exp().sum().backward();
        }
        assertEquals((float) Math.exp(0.5), x.grad().get(0), 1e-6f);
    }

    @Test
    void aSecondOrderGradientStaysReadable() {
        Tensor x = Tensor.full(0.5f, 1000).requiresGrad();
        x.exp().sum().backward(Tensor.scalar(1f), true, true);
        Tensor g = x.grad();
        g.sum().backward();
        for (int i = 0; i < 4; i++) {
            x.exp().sum().backward();
        }
        assertEquals((float) Math.exp(0.5), g.get(0), 1e-6f, "a gradient a store holds is kept");
    }

    @Test
    void threadsTrainingAtOnceEachRecycleTheirOwn() throws Exception {
        Mlp alone = new Mlp(8);
        for (int i = 0; i < 5; i++) {
            alone.step();
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            java.util.concurrent.Callable<float[]> train = () -> {
                Mlp mlp = new Mlp(8);
                for (int i = 0; i < 5; i++) {
                    mlp.step();
                }
                return mlp.parameters();
            };
            var results = pool.invokeAll(java.util.Collections.nCopies(3, train));
            for (var r : results) {
                assertArrayEquals(alone.parameters(), r.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anArenaHoldsOnlyLengthsStillAskedFor() {
        Arena arena = new Arena();
        int pass = arena.beginPass();
        Tensor a = arena.allocate(new int[] {300}, pass);
        Tensor b = arena.allocate(new int[] {400}, pass);
        arena.release(a);
        arena.release(b);
        for (int i = 0; i < 3; i++) {
            arena.beginPass();
            arena.allocate(new int[] {400}, 0); // asked for every pass: stays
            arena.forgetUnused();
        }
        Tensor again = arena.allocate(new int[] {300}, 0);
        if (again.lease.array == a.lease.array) {
            fail("length 300, not asked for in three passes, should have been forgotten");
        }
        assertEquals(0f, again.get(0), "a forgotten length gets a new array");
        assertEquals(1.5f, a.add(1.5f).get(0), "a released array is readable until it is recycled");
    }
}
