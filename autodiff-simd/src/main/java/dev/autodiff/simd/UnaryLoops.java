package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.ScalarMath;
import dev.autodiff.kernel.Unary;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The vector loops of {@link dev.autodiff.kernel.Kernels#unary} and
 * {@link dev.autodiff.kernel.Kernels#unaryBackward} over one index range. Each function has
 * its own loop, so that C2 inlines one function per loop and keeps the vectors in
 * registers; the tail after the last full vector uses {@link ScalarMath}. {@code POW}
 * is vectorized for the exponent 2 only; other exponents and its derivative use the
 * scalar reference.
 */
final class UnaryLoops {
    private UnaryLoops() {}

    private static final int L = F.length();

    static void apply(Unary op, float param, float[] x, float[] out, int from, int to) {
        int end = from + F.loopBound(to - from);
        switch (op) {
            case NEG -> { for (int i = from; i < end; i += L) { v(x, i).neg().intoArray(out, i); } }
            case ABS -> { for (int i = from; i < end; i += L) { v(x, i).abs().intoArray(out, i); } }
            case EXP -> { for (int i = from; i < end; i += L) { VectorMath.exp(v(x, i)).intoArray(out, i); } }
            case LOG -> { for (int i = from; i < end; i += L) { VectorMath.log(v(x, i)).intoArray(out, i); } }
            case SQRT -> { for (int i = from; i < end; i += L) { v(x, i).sqrt().intoArray(out, i); } }
            case POW -> end = param == 2f ? square(x, out, from, end) : from;
            case ERF -> { for (int i = from; i < end; i += L) { VectorMath.erf(v(x, i)).intoArray(out, i); } }
            case RELU -> relu(x, out, from, end);
            case LEAKY_RELU -> leakyRelu(param, x, out, from, end);
            case SIGMOID -> { for (int i = from; i < end; i += L) { VectorMath.sigmoid(v(x, i)).intoArray(out, i); } }
            case TANH -> { for (int i = from; i < end; i += L) { VectorMath.tanh(v(x, i)).intoArray(out, i); } }
            case GELU -> gelu(x, out, from, end);
            case SOFTPLUS -> { for (int i = from; i < end; i += L) { VectorMath.softplus(v(x, i)).intoArray(out, i); } }
            case SILU -> silu(x, out, from, end);
        }
        for (int i = end; i < to; i++) {
            out[i] = ScalarMath.apply(op, param, x[i]);
        }
    }

    static void derivative(Unary op, float param, float[] g, float[] x, float[] y, float[] out, int from, int to) {
        int end = from + F.loopBound(to - from);
        switch (op) {
            case NEG -> { for (int i = from; i < end; i += L) { v(g, i).neg().intoArray(out, i); } }
            case ABS -> absBackward(g, x, out, from, end);
            case EXP -> { for (int i = from; i < end; i += L) { v(g, i).mul(v(y, i)).intoArray(out, i); } }
            case LOG -> { for (int i = from; i < end; i += L) { v(g, i).div(v(x, i)).intoArray(out, i); } }
            case SQRT -> { for (int i = from; i < end; i += L) { v(g, i).mul(0.5f).div(v(y, i)).intoArray(out, i); } }
            case POW -> end = from;
            case ERF -> erfBackward(g, x, out, from, end);
            case RELU -> reluBackward(0f, g, x, out, from, end);
            case LEAKY_RELU -> reluBackward(param, g, x, out, from, end);
            case SIGMOID -> sigmoidBackward(g, y, out, from, end);
            case TANH -> tanhBackward(g, y, out, from, end);
            case GELU -> geluBackward(g, x, out, from, end);
            case SOFTPLUS -> {
                for (int i = from; i < end; i += L) {
                    v(g, i).mul(VectorMath.sigmoid(v(x, i))).intoArray(out, i);
                }
            }
            case SILU -> siluBackward(g, x, out, from, end);
        }
        for (int i = end; i < to; i++) {
            out[i] = ScalarMath.derivative(op, param, g[i], x[i], y[i]);
        }
    }

    private static FloatVector v(float[] a, int i) {
        return FloatVector.fromArray(F, a, i);
    }

    private static int square(float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(xv).intoArray(out, i);
        }
        return end;
    }

    /** {@code x > 0 ? x : 0}, NaN kept, -0 becomes +0 as in the reference. */
    private static void relu(float[] x, float[] out, int from, int end) {
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

    private static void gelu(float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(VectorMath.normalCdf(xv)).intoArray(out, i);
        }
    }

    private static void silu(float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            xv.mul(VectorMath.sigmoid(xv)).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? g : x < 0 ? -g : 0·g}. */
    private static void absBackward(float[] g, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = v(g, i);
            FloatVector xv = v(x, i);
            gv.mul(0f).blend(gv, xv.compare(VectorOperators.GT, 0f)).blend(gv.neg(), xv.lt(0f)).intoArray(out, i);
        }
    }

    /** {@code x > 0 ? g : g·slope}; slope 0 gives the ReLU derivative {@code 0·g}. */
    private static void reluBackward(float slope, float[] g, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector gv = v(g, i);
            gv.mul(slope).blend(gv, v(x, i).compare(VectorOperators.GT, 0f)).intoArray(out, i);
        }
    }

    private static void sigmoidBackward(float[] g, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector yv = v(y, i);
            v(g, i).mul(yv).mul(VectorMath.splat(1f).sub(yv)).intoArray(out, i);
        }
    }

    private static void tanhBackward(float[] g, float[] y, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector yv = v(y, i);
            v(g, i).mul(VectorMath.splat(1f).sub(yv.mul(yv))).intoArray(out, i);
        }
    }

    private static void erfBackward(float[] g, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            v(g, i).mul(VectorMath.expNegSquare(v(x, i), 1f).mul(1.1283791670955126f)).intoArray(out, i);
        }
    }

    private static void geluBackward(float[] g, float[] x, float[] out, int from, int end) {
        for (int i = from; i < end; i += L) {
            FloatVector xv = v(x, i);
            FloatVector slope = xv.fma(VectorMath.normalPdf(xv), VectorMath.normalCdf(xv));
            v(g, i).mul(slope).intoArray(out, i);
        }
    }

    private static void siluBackward(float[] g, float[] x, float[] out, int from, int end) {
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
}
