package dev.autodiff;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.Strides;
import dev.autodiff.kernel.Unary;
import it.unimi.dsi.fastutil.ints.Int2ObjectArrayMap;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A dense, row-major array of float32 values of any rank (rank 0 is a scalar), and a
 * value in the computation graph: operations on tensors that require a gradient are
 * recorded so that {@link #backward()} can compute gradients, and tangents attached by
 * {@link AD#jvp} flow through them in forward mode.
 *
 * <p>Operations return new tensors and leave their operands unchanged. The exceptions
 * are the in-place updates ({@link #copyFrom}, {@link #addInPlace}, {@link #mulInPlace}
 * and the others named {@code ...InPlace}) that optimizers, running statistics and
 * gradient clipping use, and writes through {@link #data()}.
 */
public final class Tensor {
    final float[] data;
    final int[] shape;

    boolean requiresGrad;
    Node node;
    private GradientStore gradient;
    /** Forward-mode tangents by level; null when there are none. */
    private Int2ObjectArrayMap<Tensor> tangents;

    /** Wraps {@code data} without copying; the caller gives up the array. */
    Tensor(float[] data, int[] shape) {
        this.data = data;
        this.shape = shape;
    }

    static Kernels kernels() {
        return KernelRegistry.active();
    }

    // ================================================================= factories

    /** A tensor of the given shape holding a copy of {@code values} in row-major order. */
    public static Tensor of(float[] values, int... shape) {
        Shapes.checkDims("Tensor.of", shape);
        if (values.length != Strides.size(shape)) {
            throw new IllegalArgumentException("Tensor.of: " + values.length + " values do not fill shape "
                    + Shapes.str(shape) + " of " + Strides.size(shape) + " elements");
        }
        return new Tensor(values.clone(), shape.clone());
    }

    /** A one-dimensional tensor of the given values. */
    public static Tensor vector(float... values) {
        return new Tensor(values.clone(), new int[] {values.length});
    }

    /** A two-dimensional tensor from rows of equal length. */
    public static Tensor matrix(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("Tensor.matrix: row " + r + " has " + rows[r].length
                        + " values, row 0 has " + cols);
            }
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new Tensor(data, new int[] {rows.length, cols});
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** A tensor of zeros. */
    public static Tensor zeros(int... shape) {
        Shapes.checkDims("Tensor.zeros", shape);
        return new Tensor(new float[Strides.size(shape)], shape.clone());
    }

    /** A tensor of ones. */
    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Shapes.checkDims("Tensor.full", shape);
        float[] data = new float[Strides.size(shape)];
        Arrays.fill(data, value);
        return new Tensor(data, shape.clone());
    }

    /** {@code [0, 1, ..., n - 1]}. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** {@code start, start + step, ...} up to but excluding {@code end}. */
    public static Tensor arange(float start, float end, float step) {
        if (step == 0 || !Float.isFinite(start) || !Float.isFinite(end)) {
            throw new IllegalArgumentException("Tensor.arange: bad range " + start + ", " + end + ", step " + step);
        }
        int n = Math.max(0, (int) Math.ceil((end - start) / step));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = start + i * step;
        }
        return new Tensor(data, new int[] {n});
    }

    /** The identity matrix of size n. */
    public static Tensor eye(int n) {
        float[] data = new float[n * n];
        for (int i = 0; i < n; i++) {
            data[i * n + i] = 1f;
        }
        return new Tensor(data, new int[] {n, n});
    }

    /** Uniform values in {@code [0, 1)} from a seeded generator. */
    public static Tensor rand(RandomGenerator rng, int... shape) {
        return uniform(rng, 0f, 1f, shape);
    }

    /** Uniform values in {@code [low, high)} from a seeded generator. */
    public static Tensor uniform(RandomGenerator rng, float low, float high, int... shape) {
        Shapes.checkDims("Tensor.uniform", shape);
        float[] data = new float[Strides.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = low + (high - low) * rng.nextFloat();
        }
        return new Tensor(data, shape.clone());
    }

    /** Standard normal values from a seeded generator. */
    public static Tensor randn(RandomGenerator rng, int... shape) {
        Shapes.checkDims("Tensor.randn", shape);
        float[] data = new float[Strides.size(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        return new Tensor(data, shape.clone());
    }

    /** Rows of the identity: {@code [labels.length, classes]} with a one at each label. */
    public static Tensor oneHot(int[] labels, int classes) {
        float[] data = new float[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            Labels.check("oneHot", labels, i, classes);
            data[i * classes + labels[i]] = 1f;
        }
        return new Tensor(data, new int[] {labels.length, classes});
    }

    /** Zeros of this tensor's shape. */
    public Tensor zerosLike() {
        return zeros(shape);
    }

    /** Ones of this tensor's shape. */
    public Tensor onesLike() {
        return ones(shape);
    }

    /** Joins tensors along an existing axis; all other dimensions must agree. */
    public static Tensor concat(int axis, Tensor... tensors) {
        return Movement.concat(axis, tensors);
    }

    /** Joins tensors of one shape along a new axis. */
    public static Tensor stack(int axis, Tensor... tensors) {
        if (tensors.length == 0) {
            throw new IllegalArgumentException("stack: no tensors");
        }
        int rank = tensors[0].rank() + 1;
        int a = Shapes.axis("stack", axis, rank);
        Tensor[] expanded = new Tensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            if (!Arrays.equals(tensors[i].shape, tensors[0].shape)) {
                throw new IllegalArgumentException("stack: tensor " + i + " has shape " + Shapes.str(tensors[i].shape)
                        + ", tensor 0 has " + Shapes.str(tensors[0].shape));
            }
            expanded[i] = tensors[i].unsqueeze(a);
        }
        return concat(a, expanded);
    }

    // ================================================================= inspection

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** The size of one dimension; negative axes count from the end. */
    public int shape(int axis) {
        return shape[Shapes.axis("shape", axis, shape.length)];
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** The number of elements. */
    public int size() {
        return data.length;
    }

    /** The value of a one-element tensor; holds no reference to the graph. */
    public float item() {
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + data.length
                    + " elements, not 1");
        }
        return data[0];
    }

    /** The element at the given indices (one per dimension). */
    public float get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of rank " + shape.length);
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + Arrays.toString(index) + " is out of bounds for shape "
                        + Shapes.str(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return data[flat];
    }

    /** A copy of the values in row-major order. */
    public float[] toArray() {
        return data.clone();
    }

    /**
     * The backing array, without a copy: for data loaders and readers that fill a new
     * tensor. Writing to it changes every tensor that shares it; to update parameters or
     * state, use the {@code ...InPlace} methods.
     */
    public float[] data() {
        return data;
    }

    /** {@code Σ x²} over all elements, accumulated in double; not recorded (for gradient norms). */
    public double sumOfSquares() {
        return kernels().sumOfSquares(data, data.length);
    }

    // ================================================================= in-place updates
    //
    // Each writes into this tensor's array, and so into every tensor that shares it (its
    // reshapes and detached copies); operands must have this tensor's shape. They are not
    // recorded: a graph that saved this tensor sees the new values. Every in-place write of
    // parameters and optimizer state goes through one of these methods.

    /** {@code this = src}; returns this. */
    public Tensor copyFrom(Tensor src) {
        checkSameShape("copyFrom", src);
        System.arraycopy(src.data, 0, data, 0, data.length);
        return this;
    }

    /** {@code this = c·this}; returns this. */
    public Tensor mulInPlace(float c) {
        kernels().scale(c, data, data.length);
        return this;
    }

    /** {@code this = this + alpha·x}; returns this. */
    public Tensor addInPlace(Tensor x, float alpha) {
        return mulAddInPlace(1f, x, alpha);
    }

    /** {@code this = beta·this + alpha·x} in one pass (a running average, a momentum buffer); returns this. */
    public Tensor mulAddInPlace(float beta, Tensor x, float alpha) {
        checkSameShape("mulAddInPlace", x);
        kernels().axpby(alpha, x.data, beta, data, data.length);
        return this;
    }

    /** {@code this = beta·this + alpha·x²} in one pass (a running second moment); returns this. */
    public Tensor mulAddSquareInPlace(float beta, Tensor x, float alpha) {
        checkSameShape("mulAddSquareInPlace", x);
        kernels().squareAxpby(alpha, x.data, beta, data, data.length);
        return this;
    }

    /** {@code this = this + alpha·num / (√den + eps)} in one pass (an adaptive step); returns this. */
    public Tensor addRatioInPlace(float alpha, Tensor num, Tensor den, float eps) {
        checkSameShape("addRatioInPlace", num);
        checkSameShape("addRatioInPlace", den);
        kernels().addRatio(alpha, num.data, den.data, eps, data, data.length);
        return this;
    }

    /** {@code this = max(this, x)}; returns this. */
    public Tensor maximumInPlace(Tensor x) {
        checkSameShape("maximumInPlace", x);
        kernels().maxInPlace(x.data, data, data.length);
        return this;
    }

    /** {@code this = min(max(this, lo), hi)}; returns this. */
    public Tensor clampInPlace(float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clampInPlace: lower bound " + lo + " is above upper bound " + hi);
        }
        kernels().clamp(data, lo, hi, data.length);
        return this;
    }

    private void checkSameShape(String op, Tensor operand) {
        if (!Arrays.equals(operand.shape, shape)) {
            throw new IllegalArgumentException(op + ": operand of shape " + Shapes.str(operand.shape)
                    + " for a tensor of shape " + Shapes.str(shape));
        }
    }

    // ================================================================= autograd state

    /** Marks this leaf as a parameter whose gradient {@link #backward()} accumulates; returns this. */
    public Tensor requiresGrad() {
        return requiresGrad(true);
    }

    /** Sets whether this leaf requires a gradient; returns this. */
    public Tensor requiresGrad(boolean required) {
        if (node != null && !required) {
            throw new IllegalStateException("requiresGrad: only a leaf can be detached in place; use detach()");
        }
        requiresGrad = required || node != null;
        return this;
    }

    /** Whether operations on this tensor are recorded for reverse mode. */
    public boolean isRequiringGrad() {
        return requiresGrad;
    }

    /** Whether this tensor was created by the user rather than computed by a recorded op. */
    public boolean isLeaf() {
        return node == null;
    }

    /** The name of the op that computed this tensor, or null for a leaf. */
    public String op() {
        return node == null ? null : node.op;
    }

    /**
     * The gradient accumulated by backward passes, or null. Backward passes add to it in
     * place, and after {@link #zeroGrad()} the next one may reuse its array: copy it
     * ({@link #toArray()}) to keep its values. No two tensors' gradients share an array,
     * unless {@link #setGrad} was given the same tensor for both.
     */
    public Tensor grad() {
        return gradient == null ? null : gradient.get();
    }

    /** Clears the accumulated gradient, keeping its array for the next backward pass. */
    public void zeroGrad() {
        if (gradient != null) {
            gradient.clear();
        }
    }

    /** Replaces the accumulated gradient (for optimizers and gradient clipping). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient of shape " + Shapes.str(g.shape)
                    + " for a tensor of shape " + Shapes.str(shape));
        }
        gradientStore().set(g);
    }

    /** The same values cut from the graph and from all tangents. */
    public Tensor detach() {
        return new Tensor(data, shape);
    }

    /** Computes the gradient of this scalar with respect to every leaf that requires one, then frees the graph. */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward: output of shape " + Shapes.str(shape)
                    + " is not a scalar; pass a cotangent of that shape to backward(cotangent)");
        }
        backward(ones(shape), false, false);
    }

    /** Backward pass with an explicit cotangent of this tensor's shape; frees the graph. */
    public void backward(Tensor cotangent) {
        backward(cotangent, false, false);
    }

    /**
     * Backward pass with an explicit cotangent. {@code keepGraph} keeps the graph for a
     * second pass; {@code createGraph} records the backward pass itself, so that the
     * accumulated gradients can be differentiated again.
     */
    public void backward(Tensor cotangent, boolean keepGraph, boolean createGraph) {
        Autograd.backward(this, cotangent, keepGraph || createGraph, createGraph);
    }

    GradientStore gradientStore() {
        if (gradient == null) {
            gradient = new GradientStore(shape);
        }
        return gradient;
    }

    // ================================================================= forward-mode tangents

    Tensor tangent(int level) {
        return tangents == null ? null : tangents.get(level);
    }

    void setTangent(int level, Tensor t) {
        if (tangents == null) {
            tangents = new Int2ObjectArrayMap<>(1);
        }
        tangents.put(level, t);
    }

    void removeTangent(int level) {
        if (tangents != null) {
            tangents.remove(level);
            if (tangents.isEmpty()) {
                tangents = null;
            }
        }
    }

    /** The smallest level above {@code after} with a tangent, or 0. */
    int lowestTangentLevelAbove(int after) {
        if (tangents == null) {
            return 0;
        }
        int best = 0;
        for (int level : tangents.keySet()) {
            if (level > after && (best == 0 || level < best)) {
                best = level;
            }
        }
        return best;
    }

    // ================================================================= elementwise

    /** {@code this + other}, broadcast. */
    public Tensor add(Tensor other) {
        return Elementwise.binary(Binary.ADD, this, other);
    }

    /** {@code this + c}. */
    public Tensor add(float c) {
        return add(scalar(c));
    }

    /** {@code this - other}, broadcast. */
    public Tensor sub(Tensor other) {
        return Elementwise.binary(Binary.SUB, this, other);
    }

    /** {@code this - c}. */
    public Tensor sub(float c) {
        return sub(scalar(c));
    }

    /** {@code this * other} elementwise, broadcast. */
    public Tensor mul(Tensor other) {
        return Elementwise.binary(Binary.MUL, this, other);
    }

    /** {@code this * c}. */
    public Tensor mul(float c) {
        return mul(scalar(c));
    }

    /** {@code this / other} elementwise, broadcast. */
    public Tensor div(Tensor other) {
        return Elementwise.binary(Binary.DIV, this, other);
    }

    /** {@code this / c}. */
    public Tensor div(float c) {
        return div(scalar(c));
    }

    /** The elementwise maximum, broadcast; ties split the gradient evenly. */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary(Binary.MAXIMUM, this, other);
    }

    /** The elementwise minimum, broadcast; ties split the gradient evenly. */
    public Tensor minimum(Tensor other) {
        return Elementwise.binary(Binary.MINIMUM, this, other);
    }

    /** 1 where {@code this > other}, else 0; not differentiable. */
    public Tensor gt(Tensor other) {
        return Elementwise.compare(Binary.GREATER, this, other);
    }

    /** 1 where {@code this > c}, else 0; not differentiable. */
    public Tensor gt(float c) {
        return gt(scalar(c));
    }

    /** 1 where {@code this == other}, else 0; not differentiable. */
    public Tensor eq(Tensor other) {
        return Elementwise.compare(Binary.EQUAL, this, other);
    }

    /** -1, 0 or 1 by the sign of each element; not differentiable. */
    public Tensor sign() {
        Tensor zero = scalar(0f);
        return gt(zero).sub(zero.gt(this));
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Elementwise.unary(Unary.NEG, 0f, this);
    }

    /** {@code e^this}. */
    public Tensor exp() {
        return Elementwise.unary(Unary.EXP, 0f, this);
    }

    /** The natural logarithm. */
    public Tensor log() {
        return Elementwise.unary(Unary.LOG, 0f, this);
    }

    /** The square root. */
    public Tensor sqrt() {
        return Elementwise.unary(Unary.SQRT, 0f, this);
    }

    /** {@code this^p} for a constant exponent. */
    public Tensor pow(float p) {
        return Elementwise.unary(Unary.POW, p, this);
    }

    /** {@code this * this}. */
    public Tensor square() {
        return mul(this);
    }

    /** The absolute value; its gradient at 0 is 0. */
    public Tensor abs() {
        return Elementwise.unary(Unary.ABS, 0f, this);
    }

    /** The error function. */
    public Tensor erf() {
        return Elementwise.unary(Unary.ERF, 0f, this);
    }

    /** {@code max(this, 0)}; its gradient at 0 is 0. */
    public Tensor relu() {
        return Elementwise.unary(Unary.RELU, 0f, this);
    }

    /** {@code this} where positive, else {@code slope * this}. */
    public Tensor leakyRelu(float slope) {
        return Elementwise.unary(Unary.LEAKY_RELU, slope, this);
    }

    /** The logistic function {@code 1 / (1 + e^-x)}. */
    public Tensor sigmoid() {
        return Elementwise.unary(Unary.SIGMOID, 0f, this);
    }

    /** The hyperbolic tangent. */
    public Tensor tanh() {
        return Elementwise.unary(Unary.TANH, 0f, this);
    }

    /** The exact GELU {@code x·Φ(x)}. */
    public Tensor gelu() {
        return Elementwise.unary(Unary.GELU, 0f, this);
    }

    /** {@code log(1 + e^x)}, stable for large |x|. */
    public Tensor softplus() {
        return Elementwise.unary(Unary.SOFTPLUS, 0f, this);
    }

    /** {@code x·sigmoid(x)} (swish). */
    public Tensor silu() {
        return Elementwise.unary(Unary.SILU, 0f, this);
    }

    /** Values limited to {@code [lo, hi]}; the gradient is 1 inside, bounds included (as PyTorch), 0 outside. */
    public Tensor clamp(float lo, float hi) {
        return Elementwise.clamp(this, lo, hi);
    }

    // ================================================================= reductions

    /** The sum of all elements, as a scalar. */
    public Tensor sum() {
        return Reductions.sum(this, new int[0], false);
    }

    /** The sum over one axis, which is dropped. */
    public Tensor sum(int axis) {
        return Reductions.sum(this, new int[] {axis}, false);
    }

    /** The sum over the given axes (all when none), kept as ones when {@code keepDims}. */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    /** The mean of all elements, as a scalar. */
    public Tensor mean() {
        return Reductions.mean(this, new int[0], false);
    }

    /** The mean over one axis, which is dropped. */
    public Tensor mean(int axis) {
        return Reductions.mean(this, new int[] {axis}, false);
    }

    /** The mean over the given axes (all when none), kept as ones when {@code keepDims}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /** The population variance over the given axes (all when none). */
    public Tensor variance(int[] axes, boolean keepDims) {
        Tensor centered = sub(mean(axes, true));
        return centered.square().mean(axes, keepDims);
    }

    /** The largest element, as a scalar. */
    public Tensor max() {
        return Reductions.max(this, new int[0], false);
    }

    /** The maximum over one axis, which is dropped. */
    public Tensor max(int axis) {
        return Reductions.max(this, new int[] {axis}, false);
    }

    /** The maximum over the given axes (all when none); ties share the gradient evenly. */
    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.max(this, axes, keepDims);
    }

    /** The index of the largest value along the last axis, for each leading index (first on ties). */
    public int[] argmax() {
        return Reductions.argmaxLastAxis(this);
    }

    /** {@code log Σ exp} over an axis, computed stably. */
    public Tensor logSumExp(int axis, boolean keepDims) {
        return Functional.logSumExp(this, axis, keepDims);
    }

    /** The softmax along an axis, computed stably. */
    public Tensor softmax(int axis) {
        return Functional.softmax(this, axis);
    }

    /** The log of the softmax along an axis, computed stably. */
    public Tensor logSoftmax(int axis) {
        return Functional.logSoftmax(this, axis);
    }

    // ================================================================= linear algebra

    /**
     * The matrix product with NumPy semantics: 2-D times 2-D, batched over leading axes
     * (broadcast), and 1-D operands promoted to a row or a column and then dropped.
     */
    public Tensor matmul(Tensor other) {
        return MatMul.matmul(this, other);
    }

    /**
     * {@code op(this) · op(other)} where op transposes the last two axes when asked, without
     * materialising the transpose (the three products of a linear layer).
     */
    public Tensor matmul(Tensor other, boolean transposeThis, boolean transposeOther) {
        return MatMul.matmul(this, other, transposeThis, transposeOther);
    }

    // ================================================================= movement

    /** The same values in a new shape; one dimension may be -1 and is then inferred. */
    public Tensor reshape(int... newShape) {
        return Movement.reshape(this, newShape);
    }

    /** All values as a vector. */
    public Tensor flatten() {
        return reshape(data.length);
    }

    /** A new axis of size 1 at {@code axis}. */
    public Tensor unsqueeze(int axis) {
        int a = Shapes.axis("unsqueeze", axis, shape.length + 1);
        int[] s = new int[shape.length + 1];
        System.arraycopy(shape, 0, s, 0, a);
        s[a] = 1;
        System.arraycopy(shape, a, s, a + 1, shape.length - a);
        return reshape(s);
    }

    /** Swaps the last two axes (a 1-D tensor is returned unchanged). */
    public Tensor transpose() {
        return shape.length < 2 ? this : transpose(shape.length - 2, shape.length - 1);
    }

    /** Swaps two axes. */
    public Tensor transpose(int axis0, int axis1) {
        int a = Shapes.axis("transpose", axis0, shape.length);
        int b = Shapes.axis("transpose", axis1, shape.length);
        int[] perm = new int[shape.length];
        Arrays.setAll(perm, i -> i);
        perm[a] = b;
        perm[b] = a;
        return permute(perm);
    }

    /** Reorders the axes: axis i of the result is axis {@code perm[i]} of this. */
    public Tensor permute(int... perm) {
        return Movement.permute(this, perm);
    }

    /** This tensor repeated NumPy-style to a larger shape. */
    public Tensor broadcastTo(int... target) {
        return Movement.broadcastTo(this, target);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along an axis. */
    public Tensor slice(int axis, int start, int end) {
        return Movement.slice(this, axis, start, end);
    }

    /** Rows {@code start} to {@code end} of the first axis. */
    public Tensor sliceRows(int start, int end) {
        return slice(0, start, end);
    }

    /** The rows (entries of the first axis) at the given indices, in that order; repeats allowed. */
    public Tensor gather(int[] indices) {
        return Movement.gather(this, indices);
    }

    // ================================================================= text

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
