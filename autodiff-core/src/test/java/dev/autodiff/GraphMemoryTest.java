package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph frees itself after a backward pass, unless asked to keep it, and a loss read with item() holds none. */
class GraphMemoryTest {

    /** Collects garbage until {@code ref} is cleared, a bounded number of times; true when it was. */
    private static boolean collected(WeakReference<?> ref) {
        for (int i = 0; i < 10 && ref.get() != null; i++) {
            System.gc();
        }
        return ref.get() == null;
    }

    /** Builds {@code sum(exp(x))} and hands back the loss, leaving only a weak reference to the intermediate. */
    private static Tensor lossThrough(Tensor x, List<WeakReference<Tensor>> intermediate) {
        Tensor hidden = x.exp();
        intermediate.add(new WeakReference<>(hidden));
        return hidden.sum();
    }

    @Test
    void backwardReleasesTheGraphUnlessKept() {
        Tensor x = Tensor.ones(100_000).requiresGrad();
        List<WeakReference<Tensor>> refs = new ArrayList<>();
        Tensor loss = lossThrough(x, refs);

        loss.backward(Tensor.scalar(1f), true, false);
        assertFalse(loss.node.released(), "keepGraph keeps the node");
        assertFalse(collected(refs.get(0)), "the kept graph holds the intermediate");
        assertEquals((float) Math.E, x.grad().get(7), 1e-6f);

        loss.backward();
        assertTrue(loss.node.released());
        assertEquals(2 * (float) Math.E, x.grad().get(7), 1e-6f, "the second pass accumulated");
        assertTrue(collected(refs.get(0)), "a freed graph no longer holds the intermediate");
        assertThrows(IllegalStateException.class, loss::backward);
        Reference.reachabilityFence(loss);
    }

    @Test
    void aRunningSumOfLossesHoldsNoGraph() {
        Tensor w = Tensor.vector(0.5f, -0.25f).requiresGrad();
        Tensor x = Tensor.vector(2f, 4f);
        float total = 0f;
        float expectedTotal = 0f;
        for (int step = 0; step < 5; step++) {
            Tensor loss = w.mul(x).sum().square();
            float value = loss.item();
            total += value;
            float wx = w.get(0) * 2f + w.get(1) * 4f;
            expectedTotal += wx * wx;
            w.zeroGrad();
            loss.backward();
            assertTrue(loss.node.released());
            try (var scope = NoGrad.enter()) {
                w = w.sub(w.grad().mul(0.01f)).requiresGrad();
            }
            assertTrue(w.isLeaf());
        }
        assertEquals(expectedTotal, total, 1e-6f);
        Tensor kept = Tensor.scalar(1f).requiresGrad().exp();
        assertNull(kept.detach().node, "detach cuts the graph");
        assertNotNull(kept.node);
    }

    @Test
    void retainedLossTensorsDoNotRetainTheirGraphs() {
        // A user who keeps the loss tensors themselves (not item()) keeps no graph once backward has run.
        Tensor x = Tensor.ones(10_000).requiresGrad();
        List<WeakReference<Tensor>> refs = new ArrayList<>();
        List<Tensor> losses = new ArrayList<>();
        for (int step = 0; step < 3; step++) {
            Tensor loss = lossThrough(x, refs);
            loss.backward();
            losses.add(loss);
        }
        for (WeakReference<Tensor> ref : refs) {
            assertTrue(collected(ref));
        }
        assertEquals(3, losses.size());
        Reference.reachabilityFence(losses);
    }
}
