package dev.autodiff;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gradient checker itself: it must reject wrong rules, or the primitive checks prove
 * nothing. With its defaults, a rule 0.5% off in either direction fails, on a custom op and
 * on every primitive of {@link PrimitiveGradientTest} (which all pass when right).
 */
class GradCheckTest {

    private static final Tensor X = Tensor.vector(-1.2f, 0.3f, 2f, 0.9f, -0.4f);

    /** {@code x³} with the derivative rules given, to check that the checker notices wrong ones. */
    private static CustomOp cube(float vjpFactor, float jvpFactor) {
        return CustomOp.of("cube", 1,
                in -> in[0].pow(3f),
                (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(3f * vjpFactor)},
                (in, out, t) -> t[0].mul(in[0].square()).mul(3f * jvpFactor));
    }

    /** swish with its VJP negated in element {@code flipped} (none when -1). */
    private static CustomOp swishWithSignFlip(int flipped) {
        return CustomOp.of("swish", 1,
                in -> in[0].mul(in[0].sigmoid()),
                (in, out, g) -> {
                    Tensor s = in[0].sigmoid();
                    float[] signs = Tensor.ones(in[0].shape()).toArray();
                    if (flipped >= 0) {
                        signs[flipped] = -1f;
                    }
                    Tensor derivative = s.add(in[0].mul(s).mul(s.neg().add(1f)));
                    return new Tensor[] {g.mul(derivative).mul(Tensor.of(signs, in[0].shape()))};
                });
    }

    @Test
    void correctRulesPass() {
        CustomOp ok = cube(1f, 1f);
        assertTrue(GradCheck.check(ok::apply, X).passed());
        assertTrue(GradCheck.checkJvpVjp(ok::apply, X).passed());
        assertTrue(GradCheck.check(swishWithSignFlip(-1)::apply, X).passed());
    }

    @Test
    void aVjpHalfAPercentOffFailsBothChecks() {
        for (float factor : new float[] {1.005f, 0.995f}) {
            CustomOp wrong = cube(factor, 1f);
            GradCheck.Result r = GradCheck.check(wrong::apply, X);
            assertFalse(r.passed(), r.worst());
            assertThrows(AssertionError.class, r::assertPassed);
            assertFalse(GradCheck.checkJvpVjp(wrong::apply, X).passed(), "the JVP no longer matches the VJP");
        }
    }

    @Test
    void aJvpHalfAPercentOffFails() {
        for (float factor : new float[] {1.005f, 0.995f}) {
            CustomOp wrong = cube(1f, factor);
            assertTrue(GradCheck.check(wrong::apply, X).passed(), "the VJP is right");
            GradCheck.Result r = GradCheck.checkJvpVjp(wrong::apply, X);
            assertFalse(r.passed(), r.worst());
        }
    }

    @Test
    void aVjpWithTheWrongSignInOneElementFails() {
        for (int element = 0; element < X.size(); element++) {
            GradCheck.Result r = GradCheck.check(swishWithSignFlip(element)::apply, X);
            assertFalse(r.passed(), "element " + element);
            assertTrue(r.worst().startsWith("input 0 element " + element + ":"), r.worst());
        }
    }

    @Test
    void vjpThatForgetsToUnbroadcastIsCaught() {
        // The cotangent of the bias must be summed over the rows; this rule forgets the sum.
        CustomOp addBias = CustomOp.of("addBias", 2,
                in -> in[0].add(in[1]),
                (in, out, g) -> new Tensor[] {g, g.slice(0, 0, 1).reshape(-1)});
        var in = new Inputs(3);
        assertFalse(GradCheck.check(addBias::apply, in.normal(3, 2), in.normal(2)).passed());
    }

    static List<PrimitiveGradientTest.Case> primitives() {
        return PrimitiveGradientTest.cases();
    }

    /** The primitive as a custom op whose VJP is the primitive's, times {@code factor}, and whose JVP is right. */
    private static CustomOp vjpScaled(AD.Fn f, int inputs, float factor) {
        return new CustomOp("vjp x " + factor, inputs) {
            @Override
            protected Tensor forward(Tensor... in) {
                return f.apply(in);
            }

            @Override
            protected Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
                Tensor[] grads = AD.vjp(f, in).pullback().apply(g);
                for (int i = 0; i < grads.length; i++) {
                    grads[i] = grads[i].mul(factor);
                }
                return grads;
            }
        };
    }

    /** The primitive as a custom op whose VJP is right and whose JVP is the transposed VJP times {@code factor}. */
    private static CustomOp jvpScaled(AD.Fn f, int inputs, float factor) {
        return new CustomOp("jvp x " + factor, inputs) {
            @Override
            protected Tensor forward(Tensor... in) {
                return f.apply(in);
            }

            @Override
            protected Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
                return AD.vjp(f, in).pullback().apply(g);
            }

            @Override
            protected Tensor jvp(Tensor[] in, Tensor out, Tensor[] tangents) {
                Tensor right = super.jvp(in, out, tangents);
                return right == null ? null : right.mul(factor);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void everyPrimitiveWithAVjpHalfAPercentOffFails(PrimitiveGradientTest.Case c) {
        GradCheck.Result r = GradCheck.check(vjpScaled(c.f(), c.inputs().length, 1.005f)::apply, c.inputs());
        assertFalse(r.passed(), r.worst());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void everyPrimitiveWithAJvpHalfAPercentOffFails(PrimitiveGradientTest.Case c) {
        GradCheck.Result r = GradCheck.checkJvpVjp(jvpScaled(c.f(), c.inputs().length, 0.995f)::apply, c.inputs());
        assertFalse(r.passed(), r.worst());
    }
}
