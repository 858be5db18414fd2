package dev.autodiff;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every primitive and composition of {@link PrimitiveGradientTest#cases()}, and the
 * primitives only rules call, under {@link AD#vmap} against the loop over the examples
 * it replaces: the values, the per-example gradients ({@code vmap(grad)}), the
 * per-example JVPs ({@code vmap(jvp)}), the gradient of the vmapped function
 * ({@code grad(vmap)}), and, at one shared point, the pullback vmapped over cotangents
 * and the JVP vmapped over tangents (how jacrev and jacfwd run). Each case runs with every argument mapped along axis 0, with
 * each argument in turn shared by every example (in-axis null: batched operands meet
 * unbatched ones, as in broadcasting and in matmul), and with every argument mapped along
 * its last axis and the result's batch axis last.
 *
 * <p>The loop and the batched computation may sum in a different order (a GEMM over
 * the stacked rows, a reduction over a longer axis), so values agree to float32
 * rounding, not bit for bit.
 */
class VmapPrimitivesTest {

    private static final int EXAMPLES = 3;

    /** A case and how its arguments are mapped: an axis per argument, null for shared. */
    record Mapping(PrimitiveGradientTest.Case c, Integer[] inAxes, String how) {
        @Override
        public String toString() {
            return c.name() + " " + how;
        }
    }

    static List<PrimitiveGradientTest.Case> allCases() {
        List<PrimitiveGradientTest.Case> cases = new ArrayList<>(PrimitiveGradientTest.cases());
        Inputs in = new Inputs(7);
        // The primitives that only rules call, and the non-differentiable ones.
        cases.add(new PrimitiveGradientTest.Case("pad", a -> Movement.pad(a[0], 1, 2, 6), in.normal(2, 3)));
        cases.add(new PrimitiveGradientTest.Case("copy", a -> Movement.copy(a[0]), in.normal(2, 3)));
        cases.add(new PrimitiveGradientTest.Case("gt", a -> a[0].gt(a[1]), in.distinct(2, 3), in.distinct(3)));
        cases.add(new PrimitiveGradientTest.Case("lt, le, ge, ne", a -> Tensor.stack(0, a[0].lt(a[1]), a[0].le(a[1]),
                a[0].ge(a[1]), a[0].ne(a[1])), in.distinct(2, 3), in.distinct(3)));
        cases.add(new PrimitiveGradientTest.Case("argmax and argmin", a -> Tensor.stack(0, a[0].argmax(0, false),
                a[0].argmin(0, false), a[0].argmax(-1, true).reshape(3)), in.distinct(3, 3)));
        cases.add(new PrimitiveGradientTest.Case("eq", a -> a[0].eq(a[1].mul(0f)), in.normal(2, 3), in.normal(3)));
        cases.add(new PrimitiveGradientTest.Case("sign", a -> a[0].sign(), in.awayFromZero(2, 3)));
        cases.add(new PrimitiveGradientTest.Case("stopGradient", a -> AD.stopGradient(a[0]).mul(a[0]), in.normal(4)));
        return cases;
    }

    static List<Mapping> mappings() {
        List<Mapping> out = new ArrayList<>();
        for (PrimitiveGradientTest.Case c : allCases()) {
            int n = c.inputs().length;
            Integer[] front = new Integer[n];
            Arrays.fill(front, 0);
            out.add(new Mapping(c, front, "all mapped"));
            for (int shared = 0; n > 1 && shared < n; shared++) {
                Integer[] axes = front.clone();
                axes[shared] = null;
                out.add(new Mapping(c, axes, "argument " + shared + " shared"));
            }
            Integer[] last = new Integer[n];
            Arrays.fill(last, -1);
            out.add(new Mapping(c, last, "mapped along the last axis"));
        }
        return out;
    }

    // ----------------------------------------------------------------- the batched inputs and the loop

    /** Example b of argument i: its value scaled by 1 + b/10, which keeps signs, domains and distinctness. */
    private static Tensor example(Mapping m, int i, int b) {
        Tensor x = m.c().inputs()[i];
        return m.inAxes()[i] == null ? x : x.mul(1f + 0.1f * b).detach();
    }

    private static Tensor[] examples(Mapping m, int b) {
        Tensor[] args = new Tensor[m.c().inputs().length];
        for (int i = 0; i < args.length; i++) {
            args[i] = example(m, i, b);
        }
        return args;
    }

    /** The arguments of the vmapped call: each mapped one stacks its examples along its in-axis. */
    private static Tensor[] batched(Mapping m) {
        Tensor[] args = new Tensor[m.c().inputs().length];
        for (int i = 0; i < args.length; i++) {
            Integer axis = m.inAxes()[i];
            if (axis == null) {
                args[i] = example(m, i, 0);
            } else {
                Tensor[] each = new Tensor[EXAMPLES];
                for (int b = 0; b < EXAMPLES; b++) {
                    each[b] = example(m, i, b);
                }
                int rank = each[0].rank() + 1;
                args[i] = Tensor.stack(axis < 0 ? axis + rank : axis, each);
            }
        }
        return args;
    }

    /** Where the batch axis of the results goes: in front, or last when the arguments are mapped along their last axis. */
    private static int outAxis(Mapping m) {
        return m.how().contains("last") ? -1 : 0;
    }

    /** The per-example results of {@code f}, stacked along {@code outAxis}. */
    private static Tensor loop(Mapping m, AD.Fn f, int outAxis) {
        Tensor[] results = new Tensor[EXAMPLES];
        for (int b = 0; b < EXAMPLES; b++) {
            results[b] = f.apply(examples(m, b));
        }
        int rank = results[0].rank() + 1;
        return Tensor.stack(outAxis < 0 ? outAxis + rank : outAxis, results);
    }

    private static Tensor vmapped(Mapping m, AD.Fn f) {
        return AD.vmap(f, m.inAxes()).outAxis(outAxis(m)).apply(batched(m));
    }

    /** A fixed weighting of {@code f}'s output, so that a scalar function sees every output element. */
    private static Tensor weights(Mapping m) {
        Tensor y = m.c().f().apply(m.c().inputs());
        return new Inputs(y.size()).normal(y.shape());
    }

    static void assertClose(String what, Tensor expected, Tensor actual) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            float tol = 1e-5f + 1e-5f * Math.abs(e[i]);
            if (!(Math.abs(e[i] - a[i]) <= tol) && !(Float.isNaN(e[i]) && Float.isNaN(a[i]))) {
                assertEquals(e[i], a[i], tol, what + ": element " + i + " of " + Arrays.toString(expected.shape()));
            }
        }
    }

    // ----------------------------------------------------------------- the checks

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void valuesMatchTheLoop(Mapping m) {
        assertClose(m.toString(), loop(m, m.c().f(), outAxis(m)), vmapped(m, m.c().f()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void perExampleGradientsMatchTheLoop(Mapping m) {
        Tensor w = weights(m);
        AD.Fn h = a -> m.c().f().apply(a).mul(w).sum();
        int n = m.c().inputs().length;
        for (int i = 0; i < n; i++) {
            int arg = i;
            AD.Fn gradient = a -> AD.grads(h, arg).apply(a)[0];
            assertClose(m + ", gradient of argument " + i, loop(m, gradient, outAxis(m)), vmapped(m, gradient));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void perExampleJvpsMatchTheLoop(Mapping m) {
        int n = m.c().inputs().length;
        Tensor[] tangents = new Tensor[n];
        for (int i = 0; i < n; i++) {
            tangents[i] = new Inputs(100 + i).normal(m.c().inputs()[i].shape());
        }
        AD.Fn jvp = a -> AD.jvp(m.c().f(), a, tangents).tangent();
        assertClose(m + ", JVP", loop(m, jvp, outAxis(m)), vmapped(m, jvp));
    }

    /** Every case once, its arguments shared: the rules then meet batched cotangents and tangents only. */
    static List<PrimitiveGradientTest.Case> sharedPoints() {
        return allCases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedPoints")
    void vmapOverCotangentsOfOnePullbackMatchesTheLoop(PrimitiveGradientTest.Case c) {
        // jacrev's pattern: one forward pass, its pullback vmapped over cotangents.
        AD.Vjp v = AD.vjp(c.f(), c.inputs());
        Tensor y = v.value();
        Tensor cotangents = new Inputs(y.size() + 1).normal(Batching.withFront(EXAMPLES, y.shape()));
        int n = c.inputs().length;
        Tensor[] batched = AD.vmapMulti(ct -> v.pullback().apply(ct[0]), 0).apply(cotangents);
        for (int b = 0; b < EXAMPLES; b++) {
            Tensor[] expected = v.pullback().apply(cotangents.slice(0, b, b + 1).reshape(y.shape()));
            for (int i = 0; i < n; i++) {
                assertClose(c.name() + ", cotangent " + b + " of argument " + i, expected[i],
                        batched[i].slice(0, b, b + 1).reshape(expected[i].shape()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedPoints")
    void vmapOverTangentsAtOnePointMatchesTheLoop(PrimitiveGradientTest.Case c) {
        // jacfwd's pattern: the point shared, the tangents batched.
        int n = c.inputs().length;
        Tensor[] tangents = new Tensor[n];
        Integer[] axes = new Integer[n];
        for (int i = 0; i < n; i++) {
            tangents[i] = new Inputs(200 + i).normal(Batching.withFront(EXAMPLES, c.inputs()[i].shape()));
            axes[i] = 0;
        }
        Tensor batched = AD.vmap(t -> AD.jvp(c.f(), c.inputs(), t).tangent(), axes).apply(tangents);
        for (int b = 0; b < EXAMPLES; b++) {
            Tensor[] each = new Tensor[n];
            for (int i = 0; i < n; i++) {
                each[i] = tangents[i].slice(0, b, b + 1).reshape(c.inputs()[i].shape());
            }
            Tensor expected = AD.jvp(c.f(), c.inputs(), each).tangent();
            assertClose(c.name() + ", tangent " + b, expected, batched.slice(0, b, b + 1).reshape(expected.shape()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mappings")
    void gradientOfTheVmappedFunctionSumsTheExamples(Mapping m) {
        // grad(vmap(f)): a mapped argument's gradient is each example's, stacked; a shared
        // argument's is the sum over the examples.
        Tensor w = weights(m);
        AD.Fn h = a -> m.c().f().apply(a).mul(w).sum();
        Tensor[] args = batched(m);
        Tensor[] grads = AD.grads(a -> AD.vmap(h, m.inAxes()).apply(a).sum()).apply(args);
        for (int i = 0; i < args.length; i++) {
            int arg = i;
            AD.Fn gradient = a -> AD.grads(h, arg).apply(a)[0];
            Tensor expected = m.inAxes()[i] == null ? loop(m, gradient, 0).sum(0)
                    : loop(m, gradient, outAxisOfArgument(m, i));
            assertClose(m + ", gradient of argument " + i, expected, grads[i]);
        }
    }

    private static int outAxisOfArgument(Mapping m, int i) {
        return m.inAxes()[i];
    }
}
