package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.ScalarMath;
import dev.autodiff.kernel.Unary;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector loops of {@link dev.autodiff.kernel.Kernels#unary} and
 * {@link dev.autodiff.kernel.Kernels#unaryBackward} over one index range; the tail after
 * the last full vector uses {@link ScalarMath}. {@code POW} is vectorized for the exponent
 * 2 only; other exponents and its derivative use the scalar reference.
 *
 * <p>Each function has its own small loop method, reached through a table rather than
 * inlined into one big switch: C2 stops inlining in a method past a node budget, and a
 * vector function left as a call boxes its vectors, which made exp several times slower
 * (docs/performance-kernels.md).
 */
final class UnaryLoops {
    private UnaryLoops() {}

    private static final int L = F.length();

    /** One function's loop over whole vectors in {@code [from, end)}. */
    @FunctionalInterface
    private interface Forward {
        void run(float param, float[] x, float[] out, int from, int end);
    }

    /** One derivative's loop over whole vectors in {@code [from, end)}. */
    @FunctionalInterface
    private interface Backward {
        void run(float param, float[] g, float[] x, float[] y, float[] out, int from, int end);
    }

    private static final Forward[] FORWARD = new Forward[Unary.values().length];
    private static final Backward[] BACKWARD = new Backward[Unary.values().length];

    static {
        for (Unary op : Unary.values()) {
            FORWARD[op.ordinal()] = switch (op) {
                case NEG -> UnaryLoops::neg;
                case ABS -> UnaryLoops::abs;
                case EXP -> UnaryLoops::exp;
                case LOG -> UnaryLoops::log;
                case SQRT -> UnaryLoops::sqrt;
                case POW -> UnaryLoops::square;
                case ERF -> UnaryLoops::erf;
                case RELU -> UnaryLoops::relu;
                case LEAKY_RELU -> UnaryLoops::leakyRelu;
                case SIGMOID -> UnaryLoops::sigmoid;
                case TANH -> UnaryLoops::tanh;
                case GELU -> UnaryLoops::gelu;
                case SOFTPLUS -> UnaryLoops::softplus;
                case SILU -> UnaryLoops::silu;
                case SIN -> UnaryLoops::sin;
                case COS -> UnaryLoops::cos;
                case LOG1P -> UnaryLoops::log1p;
                case EXPM1 -> UnaryLoops::expm1;
                case RSQRT -> UnaryLoops::rsqrt;
                case ELU -> UnaryLoops::elu;
            };
            BACKWARD[op.ordinal()] = switch (op) {
                case NEG -> UnaryLoops::negBackward;
                case ABS -> UnaryLoops::absBackward;
                case EXP -> UnaryLoops::expBackward;
                case LOG -> UnaryLoops::logBackward;
                case SQRT -> UnaryLoops::sqrtBackward;
                case POW -> null;
                case ERF -> UnaryLoops::erfBackward;
                case RELU, LEAKY_RELU -> UnaryLoops::reluBackward;
                case SIGMOID -> UnaryLoops::sigmoidBackward;
                case TANH -> UnaryLoops::tanhBackward;
                case GELU -> UnaryLoops::geluBackward;
                case SOFTPLUS -> UnaryLoops::softplusBackward;
                case SILU -> UnaryLoops::siluBackward;
                case SIN -> UnaryLoops::sinBackward;
                case COS -> UnaryLoops::cosBackward;
                case LOG1P -> UnaryLoops::log1pBackward;
                case EXPM1 -> UnaryLoops::expm1Backward;
                case RSQRT -> UnaryLoops::rsqrtBackward;
                case ELU -> UnaryLoops::eluBackward;
            };
        }
    }

    static void apply(Unary op, float param, float[] x, float[] out, int from, int to) {
        int end = from;
        if (op != Unary.POW || param == 2f) {
            end = from + F.loopBound(to - from);
            FORWARD[op.ordinal()].run(param, x, out, from, end);
        }
        for (int i = end; i < to; i++) {
            out[i] = ScalarMath.apply(op, param, x[i]);
        }
    }

    static void derivative(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int from, int to) {
        int end = from;
        if (op != Unary.POW) {
            end = from + F.loopBound(to - from);
            // the ReLU derivative is the leaky one with slope 0
            BACKWARD[op.ordinal()].run(op == Unary.RELU ? 0f : param, g, x, y, out, from, end);
        }
        for (int i = end; i < to; i++) {
            out[i] = ScalarMath.derivative(op, param, g[i], x[i], y[i]);
        }
    }

    private static FloatVector v(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }

    private static void neg(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(x, i).neg().intoArray(out, i);
        }
    }

    private static void abs(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(x, i).abs().intoArray(out, i);
        }
    }

    private static void exp(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.exp(v(x, i)).intoArray(out, i);
        }
    }

    private static void log(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.log(v(x, i)).intoArray(out, i);
        }
    }

    private static void sqrt(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(x, i).sqrt().intoArray(out, i);
        }
    }

    /** {@code x^2} as {@code x·x}, exactly what {@code (float) Math.pow(x, 2)} gives. */
    private static void square(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(xv).intoArray(out, i);
        }
    }

    private static void erf(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.erf(v(x, i)).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? x : 0}, NaN kept, -0 becomes +0 as in the reference. */
    private static void relu(float param, float[] x, float[] out, int from, int end) {
        FloatVector zero = FloatVector.zero(F);
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.blend(zero, xv.compare(VectorOperators.LE, 0f)).intoArray(out, i);
        }
    }

    private static void leakyRelu(float slope, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(slope).blend(xv, xv.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }

    private static void sigmoid(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.sigmoid(v(x, i)).intoArray(out, i);
        }
    }

    private static void tanh(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.tanh(v(x, i)).intoArray(out, i);
        }
    }

    private static void gelu(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(VectorMath.normalCdf(xv)).intoArray(out, i);
        }
    }

    private static void softplus(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.softplus(v(x, i)).intoArray(out, i);
        }
    }

    private static void silu(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(VectorMath.sigmoid(xv)).intoArray(out, i);
        }
    }

    private static void negBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).neg().intoArray(out, i);
        }
    }

    /** {@code x > 0 ? g : x < 0 ? -g : 0·g}. */
    private static void absBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = v(g, i);
            FloatVector xv = v(x, i);
            gv.mul(0f).blend(gv, xv.compare(VectorOperators.GT, 0f)).blend(gv.neg(), xv.lt(0f)).intoArray(out, i);
        }
    }

    private static void expBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(v(y, i)).intoArray(out, i);
        }
    }

    private static void logBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).div(v(x, i)).intoArray(out, i);
        }
    }

    private static void sqrtBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(0.5f).div(v(y, i)).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? g : g·slope}; slope 0 gives the ReLU derivative {@code 0·g}. */
    private static void reluBackward(float slope, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = v(g, i);
            gv.mul(slope).blend(gv, v(x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }

    private static void sigmoidBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(VectorMath.logisticSlope(v(x, i))).intoArray(out, i);
        }
    }

    /** {@code g·(1 - tanh²x)} as {@code g·4σ(2x)σ(-2x)}. */
    private static void tanhBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            v(g, i).mul(VectorMath.logisticSlope(xv.add(xv)).mul(4f)).intoArray(out, i);
        }
    }

    private static void erfBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(VectorMath.expNegSquare(v(x, i), 1f).mul(1.1283791670955126f)).intoArray(out, i);
        }
    }

    private static void geluBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            FloatVector slope = xv.fma(VectorMath.normalPdf(xv), VectorMath.normalCdf(xv));
            v(g, i).mul(slope).intoArray(out, i);
        }
    }

    private static void softplusBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(VectorMath.sigmoid(v(x, i))).intoArray(out, i);
        }
    }

    private static void siluBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            // σ(x) and 1 - σ(x) both from e = e^-|x|, as 1/(1+e) and e/(1+e): 1 - σ would cancel
            FloatVector e = VectorMath.exp(xv.abs().neg());
            FloatVector r = VectorMath.splat(1f).div(e.add(1f));
            FloatVector er = e.mul(r);
            VectorMask<Float> negative = xv.lt(0f);
            FloatVector s = r.blend(er, negative);
            FloatVector slope = xv.mul(s).fma(er.blend(r, negative), s);
            v(g, i).mul(slope).intoArray(out, i);
        }
    }

    private static void sin(float param, float[] x, float[] out, int from, int end) {
        VectorTrig.forward(Unary.SIN, x, out, from, end);
    }

    private static void cos(float param, float[] x, float[] out, int from, int end) {
        VectorTrig.forward(Unary.COS, x, out, from, end);
    }

    private static void log1p(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.log1p(v(x, i)).intoArray(out, i);
        }
    }

    private static void expm1(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.expm1(v(x, i)).intoArray(out, i);
        }
    }

    /** {@code 1 / sqrt(x)} in two correctly rounded steps, exactly as the reference. */
    private static void rsqrt(float param, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            VectorMath.splat(1f).div(v(x, i).sqrt()).intoArray(out, i);
        }
    }

    private static void elu(float alpha, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            VectorMath.expm1(xv).mul(alpha).blend(xv, xv.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }

    private static void sinBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        VectorTrig.backward(Unary.SIN, g, x, out, from, end);
    }

    private static void cosBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        VectorTrig.backward(Unary.COS, g, x, out, from, end);
    }

    private static void log1pBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).div(v(x, i).add(1f)).intoArray(out, i);
        }
    }

    private static void expm1Backward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(VectorMath.exp(v(x, i))).intoArray(out, i);
        }
    }

    /** {@code -0.5·g·y³}, in the reference's order. */
    private static void rsqrtBackward(float param, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector yv = v(y, i);
            v(g, i).mul(-0.5f).mul(yv).mul(yv).mul(yv).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? g : g·alpha·e^x}. */
    private static void eluBackward(float alpha, float[] g, float[] x, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = v(g, i);
            FloatVector xv = v(x, i);
            gv.mul(VectorMath.exp(xv).mul(alpha)).blend(gv, xv.compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }
}
