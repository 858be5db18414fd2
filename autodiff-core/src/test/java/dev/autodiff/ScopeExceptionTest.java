package dev.autodiff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An exception thrown inside each scope of differentiation state (no-grad, a transform's
 * recording, a custom op's opaque forward, a backward pass, a forward-mode level, a JVP
 * rule's tangent ceiling, a vmap level and the physical computation of a batched op) leaves
 * the thread's state exactly as it was before, whether the caller was recording or not.
 */
class ScopeExceptionTest {

    /** The exception the tests throw, so that no other failure passes for it. */
    private static final class Planted extends RuntimeException {
        Planted() {
            super("planted");
        }
    }

    private static Tensor fail() {
        throw new Planted();
    }

    /** A custom op whose forward, VJP or JVP throws, as named. */
    private static CustomOp failing(String where) {
        return CustomOp.of("failing-" + where, 1,
                in -> where.equals("forward") ? fail() : in[0].mul(2f),
                (in, out, g) -> where.equals("vjp") ? new Tensor[] {fail()} : new Tensor[] {g.mul(2f)},
                where.equals("jvp") ? (in, out, t) -> fail() : null);
    }

    /** Runs {@code body}, which must throw {@link Planted}, and checks the state is back to where it started. */
    private static void assertRestored(boolean insideNoGrad, Runnable body) {
        try (var _ = insideNoGrad ? NoGrad.enter() : null) {
            Trace.State before = Trace.current().state();
            assertThrows(Planted.class, body::run);
            assertEquals(before, Trace.current().state());
            assertEquals(!insideNoGrad, NoGrad.isRecording());
        }
        assertEquals(new Trace.State(0, Integer.MAX_VALUE, 0, 0, false, 0, null), Trace.current().state(),
                "outside every scope the thread's state is the initial one");
        Tensor w = Tensor.scalar(3f).requiresGrad();
        assertEquals("mul", w.mul(2f).op(), "operations are recorded again");
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noGradScope(boolean insideNoGrad) {
        assertRestored(insideNoGrad, () -> {
            try (var _ = NoGrad.enter()) {
                fail();
            }
        });
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void transformedFunction(boolean insideNoGrad) {
        assertRestored(insideNoGrad, () -> AD.grad(x -> fail()).apply(Tensor.scalar(1f)));
        assertRestored(insideNoGrad, () -> AD.vjp(x -> fail(), Tensor.scalar(1f)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void customOpForward(boolean insideNoGrad) {
        assertRestored(insideNoGrad, () -> failing("forward").apply(Tensor.scalar(1f).requiresGrad()));
        assertRestored(insideNoGrad, () -> AD.jvp(x -> failing("forward").apply(x), Tensor.scalar(1f),
                Tensor.scalar(1f)));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void backwardPassRule(boolean insideNoGrad) {
        Tensor w = Tensor.vector(1f, 2f).requiresGrad();
        Tensor loss = failing("vjp").apply(w.mul(w)).sum();
        assertRestored(insideNoGrad, loss::backward);
        Tensor product = failing("vjp").apply(w.matmul(w));
        assertRestored(insideNoGrad, () -> product.backward(Tensor.scalar(1f), false, true));
        assertRestored(insideNoGrad, () -> AD.grad(x -> failing("vjp").apply(x.exp()).sum()).apply(w));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forwardModeLevelAndRule(boolean insideNoGrad) {
        Tensor x = Tensor.vector(1f, 2f);
        Tensor v = Tensor.vector(1f, 0f);
        assertRestored(insideNoGrad, () -> AD.jvp(t -> fail(), x, v));
        assertRestored(insideNoGrad, () -> AD.jvp(t -> failing("jvp").apply(t.tanh()), x, v));
        // the transposed VJP that stands in for a missing JVP runs with recording on
        assertRestored(insideNoGrad, () -> AD.jvp(t -> failing("vjp").apply(t), x, v));
        assertRestored(insideNoGrad, () -> AD.hessian(t -> failing("jvp").apply(t).sum()).apply(x));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void vmapLevelAndBatchedRule(boolean insideNoGrad) {
        Tensor xs = Tensor.ones(3, 2);
        assertRestored(insideNoGrad, () -> AD.vmap(t -> fail()).apply(xs));
        assertRestored(insideNoGrad, () -> AD.vmap(t -> failing("forward").apply(t.exp())).apply(xs));
        assertRestored(insideNoGrad, () -> AD.vmap(AD.grad(t -> failing("vjp").apply(t).sum())).apply(xs));
        assertRestored(insideNoGrad, () -> AD.vmap(t -> AD.jvp(u -> failing("jvp").apply(u), t, t).tangent()).apply(xs));
    }

    @Test
    void closingTwiceRestoresOnce() {
        NoGrad outer = NoGrad.enter();
        NoGrad inner = NoGrad.enter();
        inner.close();
        inner.close();
        assertFalse(NoGrad.isRecording(), "the outer scope still holds");
        outer.close();
        assertTrue(NoGrad.isRecording());
    }

    @Test
    void closingAnOuterScopeUndoesAnInnerOneLeftOpen() {
        Trace.State before = Trace.current().state();
        NoGrad outer = NoGrad.enter();
        NoGrad.enter(); // never closed
        Trace.Scope level = Trace.forwardLevel(); // never closed
        assertTrue(level.level() > 0);
        outer.close();
        assertEquals(before, Trace.current().state());
    }
}
