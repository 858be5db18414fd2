package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.kernel.KernelPool;
import dev.autodiff.kernel.ScalarMath;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The in-place updates optimizers use. Each evaluates in the reference's order without
 * fusing a multiply and an add, so results match it bit for bit; the sum of squares
 * adds fixed blocks in a fixed order, whatever the thread count.
 */
final class UpdateOps {
    private static final int L = F.length();

    private final KernelPool pool;

    UpdateOps(KernelPool pool) {
        this.pool = pool;
    }

    void scale(float c, float[] x, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector.fromArray(F, x, i).mul(c).intoArray(x, i);
            }
            for (; i < to; i++) {
                x[i] = c * x[i];
            }
        });
    }

    void axpby(float alpha, float[] x, float beta, float[] y, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector.fromArray(F, x, i).mul(alpha).add(FloatVector.fromArray(F, y, i).mul(beta)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = ScalarMath.axpby(alpha, x[i], beta, y[i]);
            }
        });
    }

    /** The two {@link #axpby} of a momentum step in one pass, which reads the buffer once instead of twice. */
    void momentumStep(float momentum, float gradScale, float[] grad, float[] buffer, float rate, float[] param, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector b = FloatVector.fromArray(F, grad, i).mul(gradScale)
                        .add(FloatVector.fromArray(F, buffer, i).mul(momentum));
                b.intoArray(buffer, i);
                b.mul(rate).add(FloatVector.fromArray(F, param, i)).intoArray(param, i);
            }
            for (; i < to; i++) {
                buffer[i] = ScalarMath.axpby(gradScale, grad[i], momentum, buffer[i]);
                param[i] = ScalarMath.axpby(rate, buffer[i], 1f, param[i]);
            }
        });
    }

    void squareAxpby(float alpha, float[] x, float beta, float[] y, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector xv = FloatVector.fromArray(F, x, i);
                xv.mul(alpha).mul(xv).add(FloatVector.fromArray(F, y, i).mul(beta)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = ScalarMath.squareAxpby(alpha, x[i], beta, y[i]);
            }
        });
    }

    void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector step = FloatVector.fromArray(F, num, i).mul(alpha).div(FloatVector.fromArray(F, den, i).sqrt().add(eps));
                FloatVector.fromArray(F, y, i).add(step).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = ScalarMath.addRatio(alpha, num[i], den[i], eps, y[i]);
            }
        });
    }

    void maxInPlace(float[] x, float[] y, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector.fromArray(F, y, i).max(FloatVector.fromArray(F, x, i)).intoArray(y, i);
            }
            for (; i < to; i++) {
                y[i] = Math.max(y[i], x[i]);
            }
        });
    }

    void clamp(float[] x, float lo, float hi, int n) {
        pool.forRange(n, ElementwiseKernels.GRAIN, (from, to) -> {
            int i = from;
            for (int end = from + F.loopBound(to - from); i < end; i += L) {
                FloatVector.fromArray(F, x, i).max(lo).min(hi).intoArray(x, i);
            }
            for (; i < to; i++) {
                x[i] = ScalarMath.clamp(x[i], lo, hi);
            }
        });
    }

    double sumOfSquares(float[] x, int n) {
        int blocks = (n + ElementwiseKernels.GRAIN - 1) / ElementwiseKernels.GRAIN;
        double[] partial = new double[blocks];
        pool.forEach(blocks, b -> {
            int from = b * ElementwiseKernels.GRAIN;
            partial[b] = sumOfSquares(x, from, Math.min(n, from + ElementwiseKernels.GRAIN));
        });
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    /** {@code Σ x[i]²} over one block in double, by FMA, in the order of {@link ReductionKernels#sum}. */
    private static double sumOfSquares(float[] x, int from, int to) {
        DoubleVector s0 = DoubleVector.zero(ReductionKernels.D);
        DoubleVector s1 = DoubleVector.zero(ReductionKernels.D);
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            DoubleVector lo = (DoubleVector) v.convertShape(VectorOperators.F2D, ReductionKernels.D, 0);
            DoubleVector hi = (DoubleVector) v.convertShape(VectorOperators.F2D, ReductionKernels.D, 1);
            s0 = lo.fma(lo, s0);
            s1 = hi.fma(hi, s1);
        }
        double s = LaneSums.sum(s0.add(s1));
        for (; i < to; i++) {
            s += (double) x[i] * x[i];
        }
        return s;
    }
}
