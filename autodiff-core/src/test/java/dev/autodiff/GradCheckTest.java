package dev.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gradient checker itself: it must reject wrong rules, or the primitive checks prove nothing. */
class GradCheckTest {

    private static final Tensor X = Tensor.vector(-1.2f, 0.3f, 2f);

    /** {@code x³} with the derivative rules given, to check that the checker notices wrong ones. */
    private static CustomOp cube(float vjpFactor, float jvpFactor) {
        return CustomOp.of("cube",
                in -> in[0].pow(3f),
                (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(vjpFactor)},
                (in, out, t) -> t[0].mul(in[0].square()).mul(jvpFactor));
    }

    @Test
    void correctRulesPass() {
        CustomOp ok = cube(3f, 3f);
        assertTrue(GradCheck.check(ok::apply, X).passed());
        assertTrue(GradCheck.checkJvpVjp(ok::apply, X).passed());
    }

    @Test
    void wrongVjpFails() {
        CustomOp wrong = cube(2.9f, 3f);
        GradCheck.Result r = GradCheck.check(wrong::apply, X);
        assertFalse(r.passed());
        assertTrue(r.maxAbsoluteError() > 0.1, r.toString());
        assertThrows(AssertionError.class, r::assertPassed);
        assertFalse(GradCheck.checkJvpVjp(wrong::apply, X).passed());
    }

    @Test
    void wrongJvpFails() {
        CustomOp wrong = cube(3f, 3.1f);
        assertTrue(GradCheck.check(wrong::apply, X).passed());
        assertFalse(GradCheck.checkJvpVjp(wrong::apply, X).passed());
    }

    @Test
    void vjpThatForgetsToUnbroadcastIsCaught() {
        // The cotangent of the bias must be summed over the rows; this rule forgets the sum.
        CustomOp addBias = CustomOp.of("addBias",
                in -> in[0].add(in[1]),
                (in, out, g) -> new Tensor[] {g, g.slice(0, 0, 1).reshape(-1)});
        var in = new Inputs(3);
        assertFalse(GradCheck.check(addBias::apply, in.normal(3, 2), in.normal(2)).passed());
    }
}
