package dev.autodiff.simd;

import static dev.autodiff.simd.VectorMath.F;

import dev.autodiff.AdamStep;
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

    private static final ThreadLocal<Update> UPDATES = ThreadLocal.withInitial(Update::new);

    private final KernelPool pool;

    UpdateOps(KernelPool pool) {
        this.pool = pool;
    }

    /**
     * The arguments of the update the calling thread is running, for its tasks to read: one
     * per thread, reused, so that an update hands its work to the pool without making garbage.
     * Each update says which of its arguments goes in which field. Only an update the pool
     * splits fills it ({@link KernelPool#splits}); the others run their loop directly.
     */
    private static final class Update {
        float alpha;
        float beta;
        float gamma;
        float delta;
        float decay;
        float[] x;
        float[] y;
        float[] z;
        float[] w;
        AdamStep adam;

        Update of(float alpha, float[] x, float beta, float[] y, float gamma, float[] z) {
            this.alpha = alpha;
            this.x = x;
            this.beta = beta;
            this.y = y;
            this.gamma = gamma;
            this.z = z;
            return this;
        }

        Update of(float alpha, float[] x, float beta, float[] y, float gamma, float delta, float[] z) {
            this.delta = delta;
            return of(alpha, x, beta, y, gamma, z);
        }

        /** Sets the weight decay of a step that adds it to the gradient; returns this. */
        Update decay(float decay) {
            this.decay = decay;
            return this;
        }

        Update of(AdamStep adam, float[] x, float[] y, float[] z, float[] w) {
            this.adam = adam;
            this.x = x;
            this.y = y;
            this.z = z;
            this.w = w;
            return this;
        }

        /** Holds none of the caller's arrays between updates. */
        void release() {
            x = null;
            y = null;
            z = null;
            w = null;
            adam = null;
        }
    }

    private void run(int n, Update u, KernelPool.ContextRangeTask<Update> range) {
        pool.forRange(n, ElementwiseKernels.GRAIN, u, range);
        u.release();
    }

    void scale(float c, float[] x, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            scale(c, x, 0, n);
            return;
        }
        run(n, UPDATES.get().of(c, x, 0, null, 0, null), (u, from, to) -> scale(u.alpha, u.x, from, to));
    }

    private static void scale(float c, float[] x, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector.fromArray(F, x, i).mul(c).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] = c * x[i];
        }
    }

    void axpby(float alpha, float[] x, float beta, float[] y, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            axpby(alpha, x, beta, y, 0, n);
            return;
        }
        run(n, UPDATES.get().of(alpha, x, beta, y, 0, null), (u, from, to) -> axpby(u.alpha, u.x, u.beta, u.y, from, to));
    }

    private static void axpby(float alpha, float[] x, float beta, float[] y, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector.fromArray(F, x, i).mul(alpha).add(FloatVector.fromArray(F, y, i).mul(beta)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = ScalarMath.axpby(alpha, x[i], beta, y[i]);
        }
    }

    /**
     * The two {@link #axpby} of a momentum step in one pass, which reads the buffer once instead
     * of twice, and with weight decay the third that adds it to the gradient, which then needs
     * no array of its own.
     */
    void momentumStep(float momentum, float gradScale, float[] grad, float decay, float[] buffer, float rate,
                      float[] param, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            momentumStep(momentum, gradScale, grad, decay, buffer, rate, param, 0, n);
            return;
        }
        run(n, UPDATES.get().of(gradScale, grad, momentum, buffer, rate, decay, param),
                (u, from, to) -> momentumStep(u.beta, u.alpha, u.x, u.delta, u.y, u.gamma, u.z, from, to));
    }

    private static void momentumStep(float momentum, float gradScale, float[] grad, float decay, float[] buffer,
                                     float rate, float[] param, int from, int to) {
        int i = from;
        int end = from + F.loopBound(to - from);
        if (decay == 0) {
            for (; i < end; i += L) {
                FloatVector b = FloatVector.fromArray(F, grad, i).mul(gradScale)
                        .add(FloatVector.fromArray(F, buffer, i).mul(momentum));
                b.intoArray(buffer, i);
                b.mul(rate).add(FloatVector.fromArray(F, param, i)).intoArray(param, i);
            }
        } else {
            for (; i < end; i += L) {
                FloatVector p = FloatVector.fromArray(F, param, i);
                FloatVector d = p.mul(decay).add(FloatVector.fromArray(F, grad, i));
                FloatVector b = d.mul(gradScale).add(FloatVector.fromArray(F, buffer, i).mul(momentum));
                b.intoArray(buffer, i);
                b.mul(rate).add(p).intoArray(param, i);
            }
        }
        for (; i < to; i++) {
            ScalarMath.momentumStep(momentum, gradScale, grad, decay, buffer, rate, param, i);
        }
    }

    /**
     * The three {@link #axpby} of a Nesterov momentum step in one pass (and with weight decay the
     * fourth that adds it to the gradient), where they read the gradient and the buffer twice
     * each and need an array for the gradient's copy.
     */
    void nesterovStep(float momentum, float[] grad, float decay, float[] buffer, float rate, float[] param, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            nesterovStep(momentum, grad, decay, buffer, rate, param, 0, n);
            return;
        }
        run(n, UPDATES.get().of(0f, grad, momentum, buffer, rate, decay, param),
                (u, from, to) -> nesterovStep(u.beta, u.x, u.delta, u.y, u.gamma, u.z, from, to));
    }

    private static void nesterovStep(float momentum, float[] grad, float decay, float[] buffer, float rate,
                                     float[] param, int from, int to) {
        int i = from;
        int end = from + F.loopBound(to - from);
        if (decay == 0) {
            for (; i < end; i += L) {
                FloatVector d = FloatVector.fromArray(F, grad, i);
                FloatVector b = d.add(FloatVector.fromArray(F, buffer, i).mul(momentum));
                FloatVector p = FloatVector.fromArray(F, param, i);
                b.intoArray(buffer, i);
                b.mul(momentum).add(d).mul(rate).add(p).intoArray(param, i);
            }
        } else {
            for (; i < end; i += L) {
                FloatVector p = FloatVector.fromArray(F, param, i);
                FloatVector d = p.mul(decay).add(FloatVector.fromArray(F, grad, i));
                FloatVector b = d.add(FloatVector.fromArray(F, buffer, i).mul(momentum));
                b.intoArray(buffer, i);
                b.mul(momentum).add(d).mul(rate).add(p).intoArray(param, i);
            }
        }
        for (; i < to; i++) {
            ScalarMath.nesterovStep(momentum, grad, decay, buffer, rate, param, i);
        }
    }

    /**
     * An Adam step in one pass over its four arrays, where the separate updates it stands for
     * ({@link #axpby}, {@link #squareAxpby}, {@link #addRatio}) read the gradient and the first
     * moment twice each.
     */
    void adamStep(AdamStep step, float[] grad, float[] expAvg, float[] expAvgSq, float[] param, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            adamStep(step, grad, expAvg, expAvgSq, param, 0, n);
            return;
        }
        run(n, UPDATES.get().of(step, grad, expAvg, expAvgSq, param),
                (u, from, to) -> adamStep(u.adam, u.x, u.y, u.z, u.w, from, to));
    }

    private static void adamStep(AdamStep step, float[] grad, float[] expAvg, float[] expAvgSq, float[] param,
                                 int from, int to) {
        float decay = step.weightDecay();
        float shrink = step.shrink();
        float beta1 = step.beta1();
        float gradScale1 = step.gradScale1();
        float beta2 = step.beta2();
        float gradScale2 = step.gradScale2();
        float rate = step.rate();
        float eps = step.eps();
        // The elements the vectors leave over come first. Run after them, as in the other loops, they
        // slowed the vector loop once C2 had seen them run (a 10-float bias): 200,704 floats took
        // 42-59 µs instead of 32-35 in a JVM that had first updated such a bias.
        int head = from + (to - from) % L;
        for (int i = from; i < head; i++) {
            ScalarMath.adamStep(step, grad, expAvg, expAvgSq, param, i);
        }
        // every load before the stores: over 401,408 floats, after a training step in the same JVM,
        // 75-90 µs a pass, and 100-104 with the parameter loaded after the moments are stored
        if (decay == 0) {
            for (int i = head; i < to; i += L) {
                FloatVector g = FloatVector.fromArray(F, grad, i);
                FloatVector m = FloatVector.fromArray(F, expAvg, i);
                FloatVector v = FloatVector.fromArray(F, expAvgSq, i);
                FloatVector p = FloatVector.fromArray(F, param, i);
                m = g.mul(gradScale1).add(m.mul(beta1));
                v = g.mul(gradScale2).mul(g).add(v.mul(beta2));
                m.intoArray(expAvg, i);
                v.intoArray(expAvgSq, i);
                p.mul(shrink).add(m.mul(rate).div(v.sqrt().add(eps))).intoArray(param, i);
            }
        } else {
            for (int i = head; i < to; i += L) {
                FloatVector m = FloatVector.fromArray(F, expAvg, i);
                FloatVector v = FloatVector.fromArray(F, expAvgSq, i);
                FloatVector p = FloatVector.fromArray(F, param, i);
                FloatVector g = p.mul(decay).add(FloatVector.fromArray(F, grad, i));
                m = g.mul(gradScale1).add(m.mul(beta1));
                v = g.mul(gradScale2).mul(g).add(v.mul(beta2));
                m.intoArray(expAvg, i);
                v.intoArray(expAvgSq, i);
                p.mul(shrink).add(m.mul(rate).div(v.sqrt().add(eps))).intoArray(param, i);
            }
        }
    }

    /**
     * {@link #squareAxpby} then {@link #addRatio} in one pass, which reads the gradient and the
     * sum of squares once, and with weight decay the {@link #axpby} that adds it to the gradient,
     * which then needs no array of its own.
     */
    void rmsStep(float beta, float gradScale, float[] grad, float decay, float[] sumSq, float rate, float eps,
                 float[] param, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            rmsStep(beta, gradScale, grad, decay, sumSq, rate, eps, param, 0, n);
            return;
        }
        run(n, UPDATES.get().of(gradScale, grad, beta, sumSq, rate, eps, param).decay(decay),
                (u, from, to) -> rmsStep(u.beta, u.alpha, u.x, u.decay, u.y, u.gamma, u.delta, u.z, from, to));
    }

    private static void rmsStep(float beta, float gradScale, float[] grad, float decay, float[] sumSq, float rate,
                                float eps, float[] param, int from, int to) {
        int i = from;
        int end = from + F.loopBound(to - from);
        if (decay == 0) {
            for (; i < end; i += L) {
                FloatVector g = FloatVector.fromArray(F, grad, i);
                FloatVector s = FloatVector.fromArray(F, sumSq, i);
                FloatVector p = FloatVector.fromArray(F, param, i);
                s = g.mul(gradScale).mul(g).add(s.mul(beta));
                s.intoArray(sumSq, i);
                p.add(g.mul(rate).div(s.sqrt().add(eps))).intoArray(param, i);
            }
        } else {
            for (; i < end; i += L) {
                FloatVector s = FloatVector.fromArray(F, sumSq, i);
                FloatVector p = FloatVector.fromArray(F, param, i);
                FloatVector g = p.mul(decay).add(FloatVector.fromArray(F, grad, i));
                s = g.mul(gradScale).mul(g).add(s.mul(beta));
                s.intoArray(sumSq, i);
                p.add(g.mul(rate).div(s.sqrt().add(eps))).intoArray(param, i);
            }
        }
        for (; i < to; i++) {
            ScalarMath.rmsStep(beta, gradScale, grad, decay, sumSq, rate, eps, param, i);
        }
    }

    void squareAxpby(float alpha, float[] x, float beta, float[] y, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            squareAxpby(alpha, x, beta, y, 0, n);
            return;
        }
        run(n, UPDATES.get().of(alpha, x, beta, y, 0, null),
                (u, from, to) -> squareAxpby(u.alpha, u.x, u.beta, u.y, from, to));
    }

    private static void squareAxpby(float alpha, float[] x, float beta, float[] y, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, i);
            xv.mul(alpha).mul(xv).add(FloatVector.fromArray(F, y, i).mul(beta)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = ScalarMath.squareAxpby(alpha, x[i], beta, y[i]);
        }
    }

    void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            addRatio(alpha, num, den, eps, y, 0, n);
            return;
        }
        run(n, UPDATES.get().of(alpha, num, eps, den, 0, y),
                (u, from, to) -> addRatio(u.alpha, u.x, u.y, u.beta, u.z, from, to));
    }

    private static void addRatio(float alpha, float[] num, float[] den, float eps, float[] y, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector step = FloatVector.fromArray(F, num, i).mul(alpha).div(FloatVector.fromArray(F, den, i).sqrt().add(eps));
            FloatVector.fromArray(F, y, i).add(step).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = ScalarMath.addRatio(alpha, num[i], den[i], eps, y[i]);
        }
    }

    void maxInPlace(float[] x, float[] y, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            maxInPlace(x, y, 0, n);
            return;
        }
        run(n, UPDATES.get().of(0, x, 0, y, 0, null), (u, from, to) -> maxInPlace(u.x, u.y, from, to));
    }

    private static void maxInPlace(float[] x, float[] y, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector.fromArray(F, y, i).max(FloatVector.fromArray(F, x, i)).intoArray(y, i);
        }
        for (; i < to; i++) {
            y[i] = Math.max(y[i], x[i]);
        }
    }

    void clamp(float[] x, float lo, float hi, int n) {
        if (!pool.splits(n, ElementwiseKernels.GRAIN)) {
            clamp(x, lo, hi, 0, n);
            return;
        }
        run(n, UPDATES.get().of(lo, x, hi, null, 0, null), (u, from, to) -> clamp(u.x, u.alpha, u.beta, from, to));
    }

    private static void clamp(float[] x, float lo, float hi, int from, int to) {
        int i = from;
        for (int end = from + F.loopBound(to - from); i < end; i += L) {
            FloatVector.fromArray(F, x, i).max(lo).min(hi).intoArray(x, i);
        }
        for (; i < to; i++) {
            x[i] = ScalarMath.clamp(x[i], lo, hi);
        }
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
