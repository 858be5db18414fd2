package dev.autodiff;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Values changed in place after a recorded op used them: the backward pass refuses to run
 * on the new values, as PyTorch's version counter does, instead of computing a gradient
 * of a function that was never evaluated.
 */
class VersionCounterTest {

    /** Every public way to write a tensor's values in place. */
    private static final List<Consumer<Tensor>> WRITES = List.of(
            t -> t.copyFrom(Tensor.full(5f, t.shape())),
            t -> t.writeInPlace(a -> a[0] = 5f),
            t -> t.mulInPlace(2f),
            t -> t.addInPlace(t.onesLike(), 1f),
            t -> t.mulAddInPlace(0.5f, t.onesLike(), 1f),
            t -> t.mulAddSquareInPlace(0.5f, t.onesLike(), 1f),
            t -> t.momentumStepInPlace(t.onesLike(), 0.9f, t.onesLike(), 1f, -0.1f),
            t -> t.nesterovStepInPlace(t.onesLike(), 0.9f, t.onesLike(), 0f, -0.1f),
            t -> t.addRatioInPlace(1f, t.onesLike(), t.onesLike(), 1e-8f),
            t -> t.rmsStepInPlace(t.onesLike(), 0.9f, t.onesLike(), 0.1f, -0.1f, 1e-8f),
            t -> t.adamStepInPlace(t.zerosLike(), t.onesLike(), t.onesLike(), new AdamStep(0f, 1f, 0.9f, 0.1f, 0.999f, 0.001f, -0.1f, 1e-8f)),
            t -> t.maximumInPlace(Tensor.full(9f, t.shape())),
            t -> t.clampInPlace(-1f, 1f));

    @Test
    void aLeafChangedAfterUseFailsTheBackwardPassNamingTheOpAndTheShape() {
        for (Consumer<Tensor> write : WRITES) {
            Tensor w = Tensor.vector(1f, 2f, 3f).requiresGrad();
            Tensor x = Tensor.vector(4f, 5f, 6f);
            Tensor loss = w.mul(x).square().sum();
            write.accept(w);
            var e = assertThrows(IllegalStateException.class, loss::backward);
            assertTrue(e.getMessage().contains("'mul'") && e.getMessage().contains("[3]")
                    && e.getMessage().contains("changed in place"), e.getMessage());
            assertNull(w.grad(), "no gradient is accumulated from a refused pass");
        }
    }

    @Test
    void anInputThatIsNotALeafIsCheckedToo() {
        Tensor w = Tensor.vector(1f, 2f).requiresGrad();
        Tensor x = Tensor.vector(3f, 4f);
        Tensor loss = w.mul(x).sum();
        x.mulInPlace(2f); // the constant the rule of mul saved
        var e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("input 1 of 'mul'"), e.getMessage());
    }

    @Test
    void anOutputChangedBeforeItsRuleRunsIsCaught() {
        Tensor w = Tensor.vector(0.5f, -1f).requiresGrad();
        Tensor y = w.exp(); // the rule of exp reads its output
        y.mulInPlace(3f);
        var e = assertThrows(IllegalStateException.class, () -> y.backward(Tensor.ones(2)));
        assertTrue(e.getMessage().contains("the output of 'exp'"), e.getMessage());
    }

    @Test
    void writesThroughAReshapeOrADetachedCopyCountForTheOriginal() {
        Tensor w = Tensor.vector(1f, 2f, 3f, 4f).requiresGrad();
        Tensor loss = w.square().sum();
        w.detach().reshape(2, 2).addInPlace(Tensor.ones(2, 2), 1f);
        assertEquals(1, w.version());
        assertThrows(IllegalStateException.class, loss::backward);

        Tensor v = Tensor.vector(1f, 2f).requiresGrad();
        Tensor r = v.reshape(2, 1);
        Tensor loss2 = r.square().sum();
        v.mulInPlace(2f);
        assertEquals(1, r.version(), "a reshape shares its source's counter");
        assertThrows(IllegalStateException.class, loss2::backward);
    }

    @Test
    void writesBeforeTheForwardPassOrAfterBackwardAreFine() {
        Tensor w = Tensor.vector(1f, 2f).requiresGrad();
        w.mulInPlace(2f); // before use: the graph records version 1
        Tensor x = Tensor.vector(3f, 4f);
        w.mul(x).sum().backward();
        assertArrayEquals(new float[] {3f, 4f}, w.grad().toArray());
        w.addInPlace(w.grad(), -0.1f); // an optimizer step after backward
        w.zeroGrad();
        w.mul(x).sum().backward();
        assertArrayEquals(new float[] {3f, 4f}, w.grad().toArray());
    }

    @Test
    void aKeptGraphIsCheckedAgainOnItsSecondPass() {
        Tensor w = Tensor.vector(1f, 2f).requiresGrad();
        Tensor loss = w.square().sum();
        loss.backward(Tensor.scalar(1f), true, false);
        w.addInPlace(w.grad(), -0.5f); // a step between two passes over one graph
        assertThrows(IllegalStateException.class, () -> loss.backward(Tensor.scalar(1f), true, false));
    }

    @Test
    void transformsCheckTooAndCountersStartAtZero() {
        Tensor a = Tensor.vector(1f, 2f);
        assertEquals(0, a.version());
        assertEquals(0, a.reshape(2, 1).version());
        Tensor x = Tensor.vector(1f, 2f);
        AD.Vjp vjp = AD.vjp(t -> t.square().sum(), x); // the tracked input is a view of x
        x.copyFrom(Tensor.vector(5f, 5f));
        assertThrows(IllegalStateException.class, () -> vjp.pullback().apply(Tensor.scalar(1f)));
    }
}
