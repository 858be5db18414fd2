package dev.autodiff;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Strides;
import dev.autodiff.kernel.Unary;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * The elementwise primitives and their derivative rules, all in one place. A unary
 * function's VJP and JVP are the same product by its derivative; a binary function's
 * cotangents are summed back over the broadcast axes by {@link #unbroadcast}. Batched
 * (under {@link AD#vmap}), an elementwise op is the same op on the stacked examples,
 * with the logical axes of a binary op's operands aligned behind the batch axis.
 */
final class Elementwise {
    private Elementwise() {}

    private static final float TWO_OVER_SQRT_PI = 1.1283791670955126f;
    private static final float INV_SQRT_2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.3989422804014327f;

    private static final String[] UNARY_NAMES = names(Unary.values());
    private static final String[] BINARY_NAMES = names(Binary.values());

    private static String[] names(Enum<?>[] ops) {
        String[] names = new String[ops.length];
        for (Enum<?> op : ops) {
            names[op.ordinal()] = op.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /** The op's name in graphs and messages, made once: ops run every step. */
    static String name(Unary op) {
        return UNARY_NAMES[op.ordinal()];
    }

    static String name(Binary op) {
        return BINARY_NAMES[op.ordinal()];
    }

    // ----------------------------------------------------------------- unary

    static Tensor unary(Unary op, float param, Tensor x) {
        Tensor y;
        if (Batching.any(x)) {
            y = Batching.apply(name(op), x, f -> unary(op, param, f.x(0)));
        } else {
            y = Trace.output(x.shape, x);
            Tensor.kernels().unary(op, param, x.data(), y.data(), y.size());
        }
        return Trace.record(name(op), y, new Rule() {
            @Override
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {timesDerivative(op, param, g, x, y)};
            }

            @Override
            public Tensor jvp(Tensor[] t) {
                return timesDerivative(op, param, t[0], x, y);
            }
        }, x);
    }

    /**
     * {@code g · op'(x)}, with {@code y = op(x)}. When nothing is being differentiated
     * further, the fused kernel computes it; otherwise the derivative is built from
     * tensor operations so that it can be differentiated again. Both follow the same
     * formula, given here.
     */
    static Tensor timesDerivative(Unary op, float param, Tensor g, Tensor x, Tensor y) {
        if (!Trace.differentiating(g, x, y)) {
            if (Batching.any(g, x, y)) {
                return Batching.apply(name(op), new Tensor[] {g, x, y},
                        f -> timesDerivative(op, param, f.expanded(0), f.expanded(1), f.expanded(2)));
            }
            Tensor out = Trace.output(g.shape, g, x, y);
            Tensor.kernels().unaryBackward(op, param, g.data(), x.data(), y.data(), out.data(), out.size());
            return out;
        }
        return switch (op) {
            case NEG -> g.neg();
            case ABS -> g.mul(x.sign());
            case EXP -> g.mul(y);
            case LOG -> g.div(x);
            case SQRT -> g.mul(0.5f).div(y);
            case POW -> param == 0f ? g.mul(0f) : g.mul(x.pow(param - 1f).mul(param)); // x^0 = 1: slope 0, even at 0
            case ERF -> g.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI));
            case RELU -> g.mul(x.gt(0f));
            case LEAKY_RELU -> g.mul(x.gt(0f).mul(1f - param).add(param));
            // σ(x)·σ(-x) and 4·σ(2x)·σ(-2x), not y(1 - y) and 1 - y²: 1 - y cancels where y saturates
            case SIGMOID -> g.mul(x.sigmoid().mul(x.neg().sigmoid()));
            case TANH -> g.mul(x.mul(2f).sigmoid().mul(x.mul(-2f).sigmoid()).mul(4f));
            case GELU -> {
                Tensor cdf = x.mul(INV_SQRT_2).erf().add(1f).mul(0.5f);
                Tensor pdf = x.square().mul(-0.5f).exp().mul(INV_SQRT_2PI);
                yield g.mul(cdf.add(x.mul(pdf)));
            }
            case SOFTPLUS -> g.mul(x.sigmoid());
            case SILU -> {
                Tensor s = x.sigmoid();
                yield g.mul(s.mul(x.mul(s.neg().add(1f)).add(1f)));
            }
            case SIN -> g.mul(x.cos());
            case COS -> g.mul(x.sin()).neg();
            case LOG1P -> g.div(x.add(1f));
            case EXPM1 -> g.mul(x.exp());
            case RSQRT -> g.mul(-0.5f).mul(y).mul(y).mul(y);
            // e^min(x, 0): the branch where() leaves out stays finite, so its zero cotangent stays zero
            case ELU -> g.mul(where(x.gt(0f), Tensor.scalar(1f), x.minimum(Tensor.scalar(0f)).exp().mul(param)));
        };
    }

    // ----------------------------------------------------------------- binary

    /** The result of a binary op on broadcast operands, with no graph attached. */
    private static Tensor compute(Binary op, Tensor a, Tensor b) {
        String name = name(op);
        int[] outShape = Shapes.broadcast(name, a.shape, b.shape);
        Tensor out = Trace.output(outShape, a, b);
        int rank = outShape.length;
        Tensor.kernels().binary(op, a.data(), Shapes.padLeft(a.shape, rank), b.data(), Shapes.padLeft(b.shape, rank),
                out.data(), outShape);
        return out;
    }

    /** {@code min(max(x, lo), hi)}, whose derivative is the mask of {@code lo <= x <= hi}. */
    static Tensor clamp(Tensor x, float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clamp: lower bound " + lo + " is above upper bound " + hi);
        }
        Tensor low = Tensor.scalar(lo);
        Tensor high = Tensor.scalar(hi);
        Tensor out = Batching.any(x) ? Batching.apply("clamp", x, f -> clamp(f.x(0), lo, hi))
                : compute(Binary.MINIMUM, compute(Binary.MAXIMUM, x, low), high);
        return Trace.record("clamp", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.mul(inside())};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].mul(inside());
            }

            private Tensor inside() {
                return Tensor.scalar(1f).sub(low.gt(x)).sub(x.gt(high));
            }
        }, x);
    }

    /** A comparison: a constant 0/1 mask with no derivative. */
    static Tensor compare(Binary op, Tensor a, Tensor b) {
        return Batching.any(a, b) ? batched(op, a, b, (pa, pb) -> compare(op, pa, pb)) : compute(op, a, b);
    }

    /**
     * The batching rule of a binary op: {@code same}, the op itself, on the stacked
     * examples, their logical axes aligned from the right behind the batch axis.
     */
    private static Tensor batched(Binary op, Tensor a, Tensor b, BinaryOperator<Tensor> same) {
        int rank = Shapes.broadcast(name(op), a.shape, b.shape).length;
        return Batching.apply(name(op), new Tensor[] {a, b}, f -> same.apply(f.aligned(0, rank), f.aligned(1, rank)));
    }

    static Tensor binary(Binary op, Tensor a, Tensor b) {
        Tensor out = Batching.any(a, b) ? batched(op, a, b, (pa, pb) -> binary(op, pa, pb)) : compute(op, a, b);
        return Trace.record(name(op), out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {a.requiresGrad ? unbroadcast(timesPartial(op, true, g, a, b, out), a.shape) : null,
                    b.requiresGrad ? unbroadcast(timesPartial(op, false, g, a, b, out), b.shape) : null};
            }

            public Tensor jvp(Tensor[] t) {
                return sum(t[0] == null ? null : spread(timesPartial(op, true, t[0], a, b, out), out.shape),
                        t[1] == null ? null : spread(timesPartial(op, false, t[1], a, b, out), out.shape));
            }
        }, a, b);
    }

    /**
     * {@code g · ∂op(a, b)/∂a} when {@code first}, else {@code g · ∂op(a, b)/∂b}, with
     * {@code out = op(a, b)}: each binary op's derivative, stated once. {@code g} is a
     * cotangent of the output's shape (the VJP then sums it back to the operand's shape) or
     * a tangent of the operand's shape (the JVP then spreads it to the output's).
     */
    private static Tensor timesPartial(Binary op, boolean first, Tensor g, Tensor a, Tensor b, Tensor out) {
        return switch (op) {
            case ADD -> g;
            case SUB -> first ? g : g.neg();
            case MUL -> g.mul(first ? b : a);
            case DIV -> first ? g.div(b) : g.mul(out).div(b).neg(); // d(a/b)/db = -(a/b)/b
            case MAXIMUM -> g.mul(first ? winShare(a, b) : winShare(b, a));
            case MINIMUM -> g.mul(first ? winShare(b, a) : winShare(a, b));
            case GREATER, EQUAL, GREATER_EQUAL ->
                    throw new IllegalArgumentException(name(op) + " is a comparison, not differentiable");
        };
    }

    // ----------------------------------------------------------------- selection

    /**
     * {@code condition ? a : b} elementwise, the three broadcast together; a nonzero (or NaN)
     * condition counts as true. Each branch's cotangent is the output's where that branch
     * was taken and zero elsewhere.
     */
    static Tensor where(Tensor condition, Tensor a, Tensor b) {
        int[] shape = whereShape(condition, a, b);
        Tensor out;
        if (Batching.any(condition, a, b)) {
            int r = shape.length;
            out = Batching.apply("where", new Tensor[] {condition, a, b},
                    f -> where(f.aligned(0, r), f.aligned(1, r), f.aligned(2, r)));
        } else {
            float[] values = new float[Trace.sizeOf(shape)];
            select(condition, a, b, values, shape);
            out = new Tensor(values, shape);
        }
        return Trace.record("where", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                Tensor zero = Tensor.scalar(0f);
                return new Tensor[] {null,
                    a.requiresGrad ? unbroadcast(where(condition, g, zero), a.shape) : null,
                    b.requiresGrad ? unbroadcast(where(condition, zero, g), b.shape) : null};
            }

            public Tensor jvp(Tensor[] t) {
                if (t[1] == null && t[2] == null) {
                    return null; // the condition carries no derivative
                }
                Tensor zero = Tensor.scalar(0f);
                return spread(where(condition, t[1] != null ? t[1] : zero, t[2] != null ? t[2] : zero), shape);
            }
        }, condition, a, b);
    }

    private static int[] whereShape(Tensor condition, Tensor a, Tensor b) {
        try {
            return Shapes.broadcast("where", Shapes.broadcast("where", condition.shape, a.shape), b.shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("where: condition " + Shapes.str(condition.shape) + ", a "
                    + Shapes.str(a.shape) + " and b " + Shapes.str(b.shape) + " cannot be broadcast together");
        }
    }

    /** The loop of {@link #where}: one odometer over the output moves the three broadcast offsets. */
    private static void select(Tensor condition, Tensor a, Tensor b, float[] out, int[] shape) {
        int rank = shape.length;
        int[] cs = Strides.broadcastStrides(Shapes.padLeft(condition.shape, rank), shape);
        int[] as = Strides.broadcastStrides(Shapes.padLeft(a.shape, rank), shape);
        int[] bs = Strides.broadcastStrides(Shapes.padLeft(b.shape, rank), shape);
        int[] index = new int[rank];
        int ci = 0;
        int ai = 0;
        int bi = 0;
        float[] cv = condition.data();
        float[] av = a.data();
        float[] bv = b.data();
        for (int i = 0; i < out.length; i++) {
            out[i] = cv[ci] != 0f ? av[ai] : bv[bi];
            for (int d = rank - 1; d >= 0; d--) {
                ci += cs[d];
                ai += as[d];
                bi += bs[d];
                if (++index[d] < shape[d]) {
                    break;
                }
                ci -= cs[d] * shape[d];
                ai -= as[d] * shape[d];
                bi -= bs[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    /** 1 where {@code x > y}, 1/2 where they tie, else 0: the share of the gradient {@code max} gives x. */
    private static Tensor winShare(Tensor x, Tensor y) {
        return x.gt(y).add(x.eq(y).mul(0.5f));
    }

    /** {@code a + b} where either may be a symbolic zero (null). */
    static Tensor sum(Tensor a, Tensor b) {
        return a == null ? b : b == null ? a : a.add(b);
    }

    private static Tensor spread(Tensor t, int[] shape) {
        return Arrays.equals(t.shape, shape) ? t : t.broadcastTo(shape);
    }

    /** Sums a cotangent over the axes along which an operand of {@code shape} was broadcast. */
    static Tensor unbroadcast(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape, shape)) {
            return g;
        }
        int lead = g.shape.length - shape.length;
        int count = lead;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1 && g.shape[lead + d] != 1) {
                count++;
            }
        }
        int[] axes = new int[count];
        int k = 0;
        for (int d = 0; d < g.shape.length; d++) {
            if (d < lead || (shape[d - lead] == 1 && g.shape[d] != 1)) {
                axes[k++] = d;
            }
        }
        return g.sum(axes, true).reshape(shape);
    }
}
