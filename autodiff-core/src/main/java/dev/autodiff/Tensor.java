package dev.autodiff;

import dev.autodiff.kernel.Binary;
import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.KernelRegistry;
import dev.autodiff.kernel.Strides;
import dev.autodiff.kernel.Unary;
import it.unimi.dsi.fastutil.ints.Int2ObjectArrayMap;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A dense, row-major array of float32 values of any rank (rank 0 is a scalar), and a
 * value in the computation graph: operations on tensors that require a gradient are
 * recorded so that {@link #backward()} can compute gradients, and tangents attached by
 * {@link AD#jvp} flow through them in forward mode.
 *
 * <p>Operations return new tensors and leave their operands unchanged. The exceptions
 * are the in-place writes ({@link #copyFrom}, {@link #addInPlace}, {@link #mulInPlace},
 * {@link #writeInPlace} and the others named {@code ...InPlace}) that optimizers, running
 * statistics, gradient clipping and data loaders use. Each counts in the tensor's
 * {@link #version()}, as PyTorch's version counter does: a backward pass that needs values
 * a later in-place write changed fails instead of computing a wrong gradient. The values
 * can be read without a copy ({@link #values()}) but written only through these methods,
 * so that no write goes unnoticed.
 */
public final class Tensor {
    private final float[] data;
    final int[] shape;
    /** The tenure of {@code data} when it came from the {@link Arena}; null for an array of its own. */
    final Lease lease;

    boolean requiresGrad;
    Node node;
    private GradientStore gradient;
    /** Forward-mode tangents by level; null when there are none. */
    private Int2ObjectArrayMap<Tensor> tangents;
    /**
     * The count of in-place writes to the values, shared by every tensor that shares the
     * array (reshapes, {@link #detach()}); null until the array is shared or written.
     */
    private Version version;

    /** A counter of in-place writes to one array. */
    private static final class Version {
        int count;
    }
    /** How the values are stored when this tensor is seen inside {@link AD#vmap}; null outside. */
    Batched batched;
    /** This tensor as a linear layer's weight, laid out for one-sample products ({@link OneRowWeight}); null until used so. */
    volatile OneRowWeight.Layout oneRowLayout;

    /** Wraps {@code data} without copying; the caller gives up the array. */
    Tensor(float[] data, int[] shape) {
        this(data, shape, null);
    }

    /** A tensor on an array of the {@link Arena}. */
    Tensor(Lease lease, int[] shape) {
        this(lease.array, shape, lease);
    }

    private Tensor(float[] data, int[] shape, Lease lease) {
        this.data = data;
        this.shape = shape;
        this.lease = lease;
    }

    /**
     * The values, for reading or writing by an op of this package. Every access goes through
     * here: a tensor whose graph was freed is then kept, or fails if its array was recycled.
     */
    float[] data() {
        if (lease != null) {
            lease.access(this);
        }
        return data;
    }

    /**
     * A tensor of the given shape on this tensor's array, sharing its version counter and
     * its lease (a reshape, a detached copy).
     */
    Tensor view(int[] newShape) {
        if (lease != null) {
            lease.checkNotRecycled(this);
        }
        if (version == null) {
            version = new Version();
        }
        Tensor v = new Tensor(data, newShape, lease);
        v.version = version;
        return v;
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

    /** A one-dimensional tensor of the given values, rounded to float: {@code Tensor.of(1, 2.5, 3)}. */
    public static Tensor of(double... values) {
        return new Tensor(toFloats(values), new int[] {values.length});
    }

    /** A two-dimensional tensor from rows of equal length: {@code Tensor.of(new double[] {1, 2}, new double[] {3, 4})}. */
    public static Tensor of(double[]... rows) {
        return matrix(rows);
    }

    /** A two-dimensional tensor from rows of equal length, rounded to float. */
    public static Tensor matrix(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            checkRow("Tensor.matrix", rows[r].length, r, cols);
            for (int c = 0; c < cols; c++) {
                data[r * cols + c] = (float) rows[r][c];
            }
        }
        return new Tensor(data, new int[] {rows.length, cols});
    }

    private static float[] toFloats(double[] values) {
        float[] data = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (float) values[i];
        }
        return data;
    }

    private static void checkRow(String op, int length, int row, int cols) {
        if (length != cols) {
            throw new IllegalArgumentException(op + ": row " + row + " has " + length + " values, row 0 has " + cols);
        }
    }

    /** A two-dimensional tensor from rows of equal length. */
    public static Tensor matrix(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] data = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            checkRow("Tensor.matrix", rows[r].length, r, cols);
            System.arraycopy(rows[r], 0, data, r * cols, cols);
        }
        return new Tensor(data, new int[] {rows.length, cols});
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(float value) {
        return new Tensor(new float[] {value}, new int[0]);
    }

    /** A rank-0 tensor holding {@code value} rounded to float. */
    public static Tensor scalar(double value) {
        return scalar((float) value);
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
        int[] shape = {n, n};
        Shapes.checkDims("Tensor.eye", shape);
        float[] data = new float[Strides.size(shape)];
        for (int i = 0; i < n; i++) {
            data[i * n + i] = 1f;
        }
        return new Tensor(data, shape);
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
        int[] shape = {labels.length, classes};
        Shapes.checkDims("Tensor.oneHot", shape);
        float[] data = new float[Strides.size(shape)];
        for (int i = 0; i < labels.length; i++) {
            Labels.check("oneHot", labels, i, classes);
            data[i * classes + labels[i]] = 1f;
        }
        return new Tensor(data, shape);
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
        return data != null ? data.length : Strides.size(shape);
    }

    /** The value of a one-element tensor; holds no reference to the graph. */
    public float item() {
        single("item");
        if (data.length != 1) {
            throw new IllegalStateException("item: tensor of shape " + Shapes.str(shape) + " has " + data.length
                    + " elements, not 1");
        }
        return data()[0];
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
        return single("get")[flat];
    }

    /** A copy of the values in row-major order. */
    public float[] toArray() {
        return single("toArray").clone();
    }

    /**
     * The values as ints in row-major order, for index tensors such as those of
     * {@link #argmax(int, boolean)}; every value must be a whole number in int range.
     */
    public int[] toIntArray() {
        return Indexing.toInts("toIntArray", this);
    }

    /**
     * The values in row-major order, read-only and without a copy: the view follows later
     * in-place writes. For bulk reads, {@code values().get(index, dst, offset, length)}.
     */
    public FloatBuffer values() {
        keep();
        return FloatBuffer.wrap(single("values")).asReadOnlyBuffer();
    }

    /**
     * How many in-place writes this tensor's values have had, counting writes through every
     * tensor that shares them (its reshapes and detached copies). A recorded op notes the
     * versions of its inputs and output, and {@link #backward()} fails when one has changed.
     */
    public int version() {
        return version == null ? 0 : version.count;
    }

    /** {@code Σ x²} over all elements, accumulated in double; not recorded (for gradient norms). */
    public double sumOfSquares() {
        return kernels().sumOfSquares(single("sumOfSquares"), data.length);
    }

    /**
     * The values through {@link #data()}, or an exception naming {@code op} when this tensor
     * holds a different value for each vmap example.
     */
    private float[] single(String op) {
        if (data == null) {
            throw Batching.noSingleValue(op, this);
        }
        return data();
    }

    // ================================================================= in-place updates
    //
    // Each writes into this tensor's array, and so into every tensor that shares it (its
    // reshapes and detached copies); operands must have this tensor's shape. They are not
    // recorded, but they count in the version: a graph that saved this tensor refuses to
    // run its backward pass on the new values. Every write of values goes through one of
    // these methods. Inside vmap they update each example's values; a value that differs by
    // example cannot be written into a tensor shared by all of them.

    /** Counts one in-place write of this tensor's array. */
    void written() {
        if (version == null) {
            version = new Version();
        }
        version.count++;
    }

    /** {@code this = src}; returns this. */
    public Tensor copyFrom(Tensor src) {
        checkSameShape("copyFrom", src);
        if (Batching.any(this, src)) {
            Batching.inPlace("copyFrom", this, new Tensor[] {src}, (t, x) -> t.copyFrom(x[0]));
            return this;
        }
        System.arraycopy(src.data(), 0, data(), 0, data.length);
        written();
        return this;
    }

    /** Code that writes a tensor's values through its array, for {@link #writeInPlace}. */
    @FunctionalInterface
    public interface Writer<E extends Exception> {
        /** Writes into {@code values}, the tensor's row-major array, which must not be kept beyond the call. */
        void write(float[] values) throws E;
    }

    /**
     * Lets {@code writer} change the values in place through the backing array, for loops
     * that fill a tensor fast (data loaders, file readers, initializers). The array is valid
     * only during the call: the writer must not keep it. Counts as one in-place write, even
     * when the writer fails half-way; returns this.
     */
    public <E extends Exception> Tensor writeInPlace(Writer<E> writer) throws E {
        float[] values = single("writeInPlace");
        try {
            writer.write(values);
        } finally {
            written();
        }
        return this;
    }

    /** {@code this = c·this}; returns this. */
    public Tensor mulInPlace(float c) {
        if (batched != null) {
            Batching.inPlace("mulInPlace", this, new Tensor[0], (t, x) -> t.mulInPlace(c));
            return this;
        }
        kernels().scale(c, data(), data.length);
        written();
        return this;
    }

    /** {@code this = this + alpha·x}; returns this. */
    public Tensor addInPlace(Tensor x, float alpha) {
        return mulAddInPlace(1f, x, alpha);
    }

    /** {@code this = beta·this + alpha·x} in one pass (a running average, a momentum buffer); returns this. */
    public Tensor mulAddInPlace(float beta, Tensor x, float alpha) {
        checkSameShape("mulAddInPlace", x);
        if (Batching.any(this, x)) {
            Batching.inPlace("mulAddInPlace", this, new Tensor[] {x}, (t, o) -> t.mulAddInPlace(beta, o[0], alpha));
            return this;
        }
        kernels().axpby(alpha, x.data(), beta, data(), data.length);
        written();
        return this;
    }

    /**
     * A momentum step in one pass: {@code buffer = momentum·buffer + gradScale·grad}, then
     * {@code this = this + rate·buffer}; returns this. The bits are those of
     * {@code buffer.mulAddInPlace(momentum, grad, gradScale)} then {@code addInPlace(buffer, rate)},
     * which read the buffer twice.
     */
    public Tensor momentumStepInPlace(Tensor buffer, float momentum, Tensor grad, float gradScale, float rate) {
        return momentumStepInPlace(buffer, momentum, grad, 0f, gradScale, rate);
    }

    /**
     * A momentum step with weight decay in one pass: {@code d = grad + weightDecay·this},
     * {@code buffer = momentum·buffer + gradScale·d}, then {@code this = this + rate·buffer};
     * returns this. The bits are those of {@code d = grad} copied and
     * {@code d.addInPlace(this, weightDecay)} (none of it for a weight decay of 0), then the
     * momentum step of {@link #momentumStepInPlace(Tensor, float, Tensor, float, float)} on d.
     */
    public Tensor momentumStepInPlace(Tensor buffer, float momentum, Tensor grad, float weightDecay, float gradScale,
                                      float rate) {
        checkSameShape("momentumStepInPlace", buffer);
        checkSameShape("momentumStepInPlace", grad);
        if (Batching.any(this, buffer, grad)) {
            Tensor d = decayed(grad, weightDecay);
            buffer.mulAddInPlace(momentum, d, gradScale);
            return addInPlace(buffer, rate);
        }
        kernels().momentumStep(momentum, gradScale, grad.data(), weightDecay, buffer.data(), rate, data(), data.length);
        buffer.written();
        written();
        return this;
    }

    /**
     * A Nesterov momentum step with weight decay in one pass: {@code d = grad + weightDecay·this},
     * {@code buffer = momentum·buffer + d}, then {@code this = this + rate·(d + momentum·buffer)};
     * returns this. The bits are those of {@code d = grad} copied and
     * {@code d.addInPlace(this, weightDecay)} (the copy alone for a weight decay of 0),
     * {@code buffer.mulAddInPlace(momentum, d, 1)}, {@code d.addInPlace(buffer, momentum)} and
     * {@code addInPlace(d, rate)}, which read the gradient and the buffer twice.
     */
    public Tensor nesterovStepInPlace(Tensor buffer, float momentum, Tensor grad, float weightDecay, float rate) {
        checkSameShape("nesterovStepInPlace", buffer);
        checkSameShape("nesterovStepInPlace", grad);
        if (Batching.any(this, buffer, grad)) {
            Tensor d = decayed(grad, weightDecay);
            buffer.mulAddInPlace(momentum, d, 1f);
            return addInPlace(buffer.mul(momentum).add(d), rate);
        }
        kernels().nesterovStep(momentum, grad.data(), weightDecay, buffer.data(), rate, data(), data.length);
        buffer.written();
        written();
        return this;
    }

    /**
     * An Adam step in one pass over this parameter, its moments and its gradient, each element
     * as {@link AdamStep} says; returns this. The bits are those of
     * {@code d = grad.mul(1).addInPlace(this, weightDecay)} (d is grad for a decay of 0),
     * {@code mulInPlace(shrink)}, {@code expAvg.mulAddInPlace(beta1, d, gradScale1)},
     * {@code expAvgSq.mulAddSquareInPlace(beta2, d, gradScale2)} and
     * {@code addRatioInPlace(rate, expAvg, expAvgSq, eps)}, which take four to six passes.
     */
    public Tensor adamStepInPlace(Tensor expAvg, Tensor expAvgSq, Tensor grad, AdamStep step) {
        checkSameShape("adamStepInPlace", expAvg);
        checkSameShape("adamStepInPlace", expAvgSq);
        checkSameShape("adamStepInPlace", grad);
        if (Batching.any(this, expAvg, expAvgSq, grad)) {
            Tensor d = decayed(grad, step.weightDecay());
            mulInPlace(step.shrink());
            expAvg.mulAddInPlace(step.beta1(), d, step.gradScale1());
            expAvgSq.mulAddSquareInPlace(step.beta2(), d, step.gradScale2());
            return addRatioInPlace(step.rate(), expAvg, expAvgSq, step.eps());
        }
        kernels().adamStep(step, grad.data(), expAvg.data(), expAvgSq.data(), data(), data.length);
        expAvg.written();
        expAvgSq.written();
        written();
        return this;
    }

    /**
     * An RMSprop or Adagrad step in one pass over this parameter, its running sum of squares
     * and its gradient: {@code sumSq = beta·sumSq + gradScale·grad²}, then
     * {@code this = this + rate·grad / (√sumSq + eps)}; returns this. The bits are those of
     * {@code sumSq.mulAddSquareInPlace(beta, grad, gradScale)} then
     * {@code addRatioInPlace(rate, grad, sumSq, eps)}, which read the gradient and the sum twice.
     */
    public Tensor rmsStepInPlace(Tensor sumSq, float beta, Tensor grad, float gradScale, float rate, float eps) {
        return rmsStepInPlace(sumSq, beta, grad, 0f, gradScale, rate, eps);
    }

    /**
     * An RMSprop or Adagrad step with weight decay in one pass: {@code d = grad + weightDecay·this},
     * then the step of {@link #rmsStepInPlace(Tensor, float, Tensor, float, float, float)} on d;
     * returns this. The bits are those of {@code d = grad} copied and
     * {@code d.addInPlace(this, weightDecay)} (none of it for a weight decay of 0), then that step.
     */
    public Tensor rmsStepInPlace(Tensor sumSq, float beta, Tensor grad, float weightDecay, float gradScale, float rate,
                                 float eps) {
        checkSameShape("rmsStepInPlace", sumSq);
        checkSameShape("rmsStepInPlace", grad);
        if (Batching.any(this, sumSq, grad)) {
            Tensor d = decayed(grad, weightDecay);
            sumSq.mulAddSquareInPlace(beta, d, gradScale);
            return addRatioInPlace(rate, d, sumSq, eps);
        }
        kernels().rmsStep(beta, gradScale, grad.data(), weightDecay, sumSq.data(), rate, eps, data(), data.length);
        sumSq.written();
        written();
        return this;
    }

    /** {@code grad + weightDecay·this} in a new tensor, for the one-pass steps taken in passes; grad itself for 0. */
    private Tensor decayed(Tensor grad, float weightDecay) {
        return weightDecay == 0 ? grad : grad.mul(1f).addInPlace(this, weightDecay);
    }

    /** {@code this = beta·this + alpha·x²} in one pass (a running second moment); returns this. */
    public Tensor mulAddSquareInPlace(float beta, Tensor x, float alpha) {
        checkSameShape("mulAddSquareInPlace", x);
        if (Batching.any(this, x)) {
            Batching.inPlace("mulAddSquareInPlace", this, new Tensor[] {x},
                    (t, o) -> t.mulAddSquareInPlace(beta, o[0], alpha));
            return this;
        }
        kernels().squareAxpby(alpha, x.data(), beta, data(), data.length);
        written();
        return this;
    }

    /** {@code this = this + alpha·num / (√den + eps)} in one pass (an adaptive step); returns this. */
    public Tensor addRatioInPlace(float alpha, Tensor num, Tensor den, float eps) {
        checkSameShape("addRatioInPlace", num);
        checkSameShape("addRatioInPlace", den);
        if (Batching.any(this, num, den)) {
            Batching.inPlace("addRatioInPlace", this, new Tensor[] {num, den},
                    (t, o) -> t.addRatioInPlace(alpha, o[0], o[1], eps));
            return this;
        }
        kernels().addRatio(alpha, num.data(), den.data(), eps, data(), data.length);
        written();
        return this;
    }

    /** {@code this = max(this, x)}; returns this. */
    public Tensor maximumInPlace(Tensor x) {
        checkSameShape("maximumInPlace", x);
        if (Batching.any(this, x)) {
            Batching.inPlace("maximumInPlace", this, new Tensor[] {x}, (t, o) -> t.maximumInPlace(o[0]));
            return this;
        }
        kernels().maxInPlace(x.data(), data(), data.length);
        written();
        return this;
    }

    /** {@code this = min(max(this, lo), hi)}; returns this. */
    public Tensor clampInPlace(float lo, float hi) {
        if (!(lo <= hi)) {
            throw new IllegalArgumentException("clampInPlace: lower bound " + lo + " is above upper bound " + hi);
        }
        if (batched != null) {
            Batching.inPlace("clampInPlace", this, new Tensor[0], (t, o) -> t.clampInPlace(lo, hi));
            return this;
        }
        kernels().clamp(data(), lo, hi, data.length);
        written();
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
        if (batched != null && required) {
            throw new IllegalStateException("requiresGrad: a tensor batched by vmap cannot accumulate a gradient in "
                    + "grad(); call AD.grad or AD.vjp inside the vmapped function for a gradient per example");
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

    /**
     * The same values cut from the graph and from all tangents, on the same array. Its
     * values are never recycled (see {@link #backward()}): keep {@code t.detach()}, not
     * {@code t}, to read an intermediate result after later training steps.
     */
    public Tensor detach() {
        if (batched != null) {
            return Batching.wrap(batched.level(), batched.size(), batched.physical().detach(), batched.mapped());
        }
        keep();
        return view(shape);
    }

    /** Keeps this tensor's array out of the {@link Arena} for good: it escapes where reads are not checked. */
    private void keep() {
        if (lease != null) {
            lease.keep(this);
        }
    }

    /** Computes the gradient of this scalar with respect to every leaf that requires one, then frees the graph. */
    public void backward() {
        if (size() != 1) {
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

    // Comparisons give masks of 0 and 1, broadcast, with no derivative (NaN compares false,
    // except in ne); use them with where, mul or sum.

    /** 1 where {@code this > other}, else 0. */
    public Tensor gt(Tensor other) {
        return Elementwise.compare(Binary.GREATER, this, other);
    }

    /** 1 where {@code this > c}, else 0. */
    public Tensor gt(float c) {
        return gt(scalar(c));
    }

    /** 1 where {@code this >= other}, else 0. */
    public Tensor ge(Tensor other) {
        return Elementwise.compare(Binary.GREATER_EQUAL, this, other);
    }

    /** 1 where {@code this >= c}, else 0. */
    public Tensor ge(float c) {
        return ge(scalar(c));
    }

    /** 1 where {@code this < other}, else 0. */
    public Tensor lt(Tensor other) {
        return Elementwise.compare(Binary.GREATER, other, this);
    }

    /** 1 where {@code this < c}, else 0. */
    public Tensor lt(float c) {
        return lt(scalar(c));
    }

    /** 1 where {@code this <= other}, else 0. */
    public Tensor le(Tensor other) {
        return Elementwise.compare(Binary.GREATER_EQUAL, other, this);
    }

    /** 1 where {@code this <= c}, else 0. */
    public Tensor le(float c) {
        return le(scalar(c));
    }

    /** 1 where {@code this == other}, else 0. */
    public Tensor eq(Tensor other) {
        return Elementwise.compare(Binary.EQUAL, this, other);
    }

    /** 1 where {@code this == c}, else 0. */
    public Tensor eq(float c) {
        return eq(scalar(c));
    }

    /** 1 where {@code this != other} (NaN included), else 0. */
    public Tensor ne(Tensor other) {
        return scalar(1f).sub(eq(other));
    }

    /** 1 where {@code this != c} (NaN included), else 0. */
    public Tensor ne(float c) {
        return ne(scalar(c));
    }

    /**
     * {@code condition ? a : b} elementwise, the three broadcast together (PyTorch's
     * {@code torch.where}); a nonzero condition counts as true. Differentiable in a and b:
     * each gets the output's gradient where it was chosen and zero elsewhere. As in PyTorch
     * and JAX, that zero still meets the derivative of the op that made the branch not
     * taken: {@code where(x > 0, x.log(), 0)} has a NaN gradient at {@code x = 0} (0·∞);
     * feed such an op a safe input, {@code where(x > 0, where(x > 0, x, 1).log(), 0)}.
     */
    public static Tensor where(Tensor condition, Tensor a, Tensor b) {
        return Elementwise.where(condition, a, b);
    }

    /** {@code condition ? a : b} with a constant {@code b}. */
    public static Tensor where(Tensor condition, Tensor a, float b) {
        return where(condition, a, scalar(b));
    }

    /** {@code condition ? a : b} with a constant {@code a}. */
    public static Tensor where(Tensor condition, float a, Tensor b) {
        return where(condition, scalar(a), b);
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

    /** The sine. */
    public Tensor sin() {
        return Elementwise.unary(Unary.SIN, 0f, this);
    }

    /** The cosine. */
    public Tensor cos() {
        return Elementwise.unary(Unary.COS, 0f, this);
    }

    /** {@code log(1 + this)}, accurate where {@code |this|} is small. */
    public Tensor log1p() {
        return Elementwise.unary(Unary.LOG1P, 0f, this);
    }

    /** {@code e^this - 1}, accurate where {@code |this|} is small. */
    public Tensor expm1() {
        return Elementwise.unary(Unary.EXPM1, 0f, this);
    }

    /** {@code 1 / sqrt(this)}. */
    public Tensor rsqrt() {
        return Elementwise.unary(Unary.RSQRT, 0f, this);
    }

    /** The ELU with {@code alpha = 1}: {@code this} where positive, else {@code e^this - 1}. */
    public Tensor elu() {
        return elu(1f);
    }

    /** The ELU: {@code this} where positive, else {@code alpha·(e^this - 1)}; its gradient at 0 is {@code alpha}, as PyTorch's. */
    public Tensor elu(float alpha) {
        return Elementwise.unary(Unary.ELU, alpha, this);
    }

    /** {@code log(e^this + e^other)}, broadcast, without overflow or underflow (PyTorch's {@code logaddexp}). */
    public Tensor logAddExp(Tensor other) {
        return Functional.logAddExp(this, other);
    }

    /** Values limited to {@code [lo, hi]}; the gradient is 1 inside, bounds included (as PyTorch), 0 outside. */
    public Tensor clamp(float lo, float hi) {
        return Elementwise.clamp(this, lo, hi);
    }

    // ================================================================= reductions
    //
    // Every reduction comes in four forms: over all elements to a scalar, over one axis
    // (dropped), over one axis kept as size 1 when keepDims, and over several axes (all of
    // them when none are given). Negative axes count from the end.

    private static int[] one(int axis) {
        return new int[] {axis};
    }

    private static final int[] ALL = new int[0];

    /** The sum of all elements, as a scalar. */
    public Tensor sum() {
        return Reductions.sum(this, ALL, false);
    }

    /** The sum over one axis, which is dropped. */
    public Tensor sum(int axis) {
        return Reductions.sum(this, one(axis), false);
    }

    /** The sum over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor sum(int axis, boolean keepDims) {
        return Reductions.sum(this, one(axis), keepDims);
    }

    /** The sum over the given axes (all when none), kept as ones when {@code keepDims}. */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    /** The mean of all elements, as a scalar. */
    public Tensor mean() {
        return Reductions.mean(this, ALL, false);
    }

    /** The mean over one axis, which is dropped. */
    public Tensor mean(int axis) {
        return Reductions.mean(this, one(axis), false);
    }

    /** The mean over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor mean(int axis, boolean keepDims) {
        return Reductions.mean(this, one(axis), keepDims);
    }

    /** The mean over the given axes (all when none), kept as ones when {@code keepDims}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /** The product of all elements, as a scalar; its gradient is exact where elements are 0 (as PyTorch's). */
    public Tensor prod() {
        return Reductions.prod(this, ALL, false);
    }

    /** The product over one axis, which is dropped. */
    public Tensor prod(int axis) {
        return Reductions.prod(this, one(axis), false);
    }

    /** The product over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor prod(int axis, boolean keepDims) {
        return Reductions.prod(this, one(axis), keepDims);
    }

    /** The product over the given axes (all when none), kept as ones when {@code keepDims}. */
    public Tensor prod(int[] axes, boolean keepDims) {
        return Reductions.prod(this, axes, keepDims);
    }

    /** The largest element, as a scalar; NaN if any element is NaN. */
    public Tensor max() {
        return Reductions.max(this, ALL, false);
    }

    /** The maximum over one axis, which is dropped. */
    public Tensor max(int axis) {
        return Reductions.max(this, one(axis), false);
    }

    /** The maximum over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor max(int axis, boolean keepDims) {
        return Reductions.max(this, one(axis), keepDims);
    }

    /** The maximum over the given axes (all when none); ties share the gradient evenly. */
    public Tensor max(int[] axes, boolean keepDims) {
        return Reductions.max(this, axes, keepDims);
    }

    /** The smallest element, as a scalar; NaN if any element is NaN. */
    public Tensor min() {
        return Reductions.min(this, ALL, false);
    }

    /** The minimum over one axis, which is dropped. */
    public Tensor min(int axis) {
        return Reductions.min(this, one(axis), false);
    }

    /** The minimum over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor min(int axis, boolean keepDims) {
        return Reductions.min(this, one(axis), keepDims);
    }

    /** The minimum over the given axes (all when none); ties share the gradient evenly. */
    public Tensor min(int[] axes, boolean keepDims) {
        return Reductions.min(this, axes, keepDims);
    }

    /** The sample variance of all elements (correction 1, unbiased, as PyTorch's default). */
    public Tensor var() {
        return Statistics.var(this, ALL, 1, false);
    }

    /** The sample variance over one axis, which is dropped. */
    public Tensor var(int axis) {
        return Statistics.var(this, one(axis), 1, false);
    }

    /** The sample variance over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor var(int axis, boolean keepDims) {
        return Statistics.var(this, one(axis), 1, keepDims);
    }

    /** The sample variance over the given axes (all when none). */
    public Tensor var(int[] axes, boolean keepDims) {
        return Statistics.var(this, axes, 1, keepDims);
    }

    /**
     * The variance over the given axes (all when none): the sum of squared deviations from
     * the mean divided by {@code max(0, N - correction)} for N elements per result, as
     * PyTorch's {@code var(dim, correction=..., keepdim=...)}: 1 for the sample variance,
     * 0 for the population variance.
     */
    public Tensor var(int[] axes, int correction, boolean keepDims) {
        return Statistics.var(this, axes, correction, keepDims);
    }

    /**
     * The sample standard deviation of all elements (correction 1). Its gradient is zero
     * where the deviation is zero, as PyTorch's.
     */
    public Tensor std() {
        return Statistics.std(this, ALL, 1, false);
    }

    /** The sample standard deviation over one axis, which is dropped. */
    public Tensor std(int axis) {
        return Statistics.std(this, one(axis), 1, false);
    }

    /** The sample standard deviation over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor std(int axis, boolean keepDims) {
        return Statistics.std(this, one(axis), 1, keepDims);
    }

    /** The sample standard deviation over the given axes (all when none). */
    public Tensor std(int[] axes, boolean keepDims) {
        return Statistics.std(this, axes, 1, keepDims);
    }

    /** The square root of {@link #var(int[], int, boolean)}. */
    public Tensor std(int[] axes, int correction, boolean keepDims) {
        return Statistics.std(this, axes, correction, keepDims);
    }

    /** The Euclidean norm of all elements. */
    public Tensor norm() {
        return Statistics.norm(this, 2f, ALL, false);
    }

    /**
     * The vector p-norm of all elements, as {@code torch.linalg.vector_norm}: {@code (Σ|x|^p)^(1/p)}
     * for {@code p >= 1}, the largest |x| for {@code Float.POSITIVE_INFINITY}, the smallest
     * for {@code NEGATIVE_INFINITY}, the count of nonzeros for 0. Where the norm is 0 its
     * gradient is 0 (PyTorch's subgradient).
     */
    public Tensor norm(float p) {
        return Statistics.norm(this, p, ALL, false);
    }

    /** The p-norm over one axis, kept as size 1 when {@code keepDims}. */
    public Tensor norm(float p, int axis, boolean keepDims) {
        return Statistics.norm(this, p, one(axis), keepDims);
    }

    /** The p-norm over the given axes (all when none). */
    public Tensor norm(float p, int[] axes, boolean keepDims) {
        return Statistics.norm(this, p, axes, keepDims);
    }

    /** {@code log Σ exp} of all elements, computed stably. */
    public Tensor logSumExp() {
        return Functional.logSumExp(this, ALL, false);
    }

    /** {@code log Σ exp} over one axis, which is dropped. */
    public Tensor logSumExp(int axis) {
        return Functional.logSumExp(this, one(axis), false);
    }

    /** {@code log Σ exp} over an axis, computed stably. */
    public Tensor logSumExp(int axis, boolean keepDims) {
        return Functional.logSumExp(this, one(axis), keepDims);
    }

    /** {@code log Σ exp} over the given axes (all when none), computed stably. */
    public Tensor logSumExp(int[] axes, boolean keepDims) {
        return Functional.logSumExp(this, axes, keepDims);
    }

    /**
     * The index of the largest value along an axis (the first on ties, a NaN counting as
     * largest), as a tensor of whole numbers, the axis dropped or kept as size 1. It is
     * not differentiable; it feeds {@link #gather(int, Tensor)}, {@link #eq(Tensor)}, or
     * {@link #toIntArray()}.
     */
    public Tensor argmax(int axis, boolean keepDims) {
        return Reductions.argExtreme("argmax", this, axis, keepDims, true);
    }

    /** The index of the smallest value along an axis, as {@link #argmax(int, boolean)}. */
    public Tensor argmin(int axis, boolean keepDims) {
        return Reductions.argExtreme("argmin", this, axis, keepDims, false);
    }

    /**
     * The index of the largest value along the last axis for each leading index, as ints
     * (the predicted class of each row of logits): {@code argmax(-1, false).toIntArray()}.
     * A scalar gives {@code [0]}.
     */
    public int[] argmax() {
        return rank() == 0 ? new int[] {0} : argmax(-1, false).toIntArray();
    }

    /** The index of the smallest value along the last axis for each leading index, as ints. */
    public int[] argmin() {
        return rank() == 0 ? new int[] {0} : argmin(-1, false).toIntArray();
    }

    /** Running sums along an axis: element i is the sum of elements 0 to i (PyTorch's {@code cumsum}). */
    public Tensor cumsum(int axis) {
        return Reductions.cumsum(this, axis);
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
        return reshape(size());
    }

    /** A new axis of size 1 at {@code axis} (counted in the result: -1 appends one). */
    public Tensor unsqueeze(int axis) {
        return Movement.unsqueeze(this, axis);
    }

    /** The same values without the axes of size 1. */
    public Tensor squeeze() {
        return Movement.squeeze(this, new int[0]);
    }

    /**
     * The same values without the given axes where they have size 1; an axis of another
     * size stays, as in PyTorch (NumPy would throw).
     */
    public Tensor squeeze(int... axes) {
        return axes.length == 0 ? squeeze() : Movement.squeeze(this, axes);
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

    /** The elements in reverse order along each of the given axes. */
    public Tensor flip(int... axes) {
        return Movement.flip(this, axes);
    }

    /**
     * This tensor repeated {@code reps[d]} times along each axis d, as {@code torch.tile}:
     * with fewer reps than axes the leading axes are repeated once, with more the tensor
     * gets leading axes of size 1.
     */
    public Tensor tile(int... reps) {
        return Movement.tile(this, reps);
    }

    /**
     * The entries along {@code axis} at the given indices, in that order, repeats allowed
     * ({@code torch.index_select}): {@code out[..., i, ...] = this[..., indices[i], ...]}.
     * Negative indices are rejected.
     */
    public Tensor indexSelect(int axis, int[] indices) {
        return Indexing.indexSelect(this, axis, indices);
    }

    /**
     * This tensor plus {@code source}'s entries along {@code axis} added at the given indices
     * ({@code torch.index_add}, out of place); repeated indices accumulate. It is the
     * adjoint of {@link #indexSelect}.
     */
    public Tensor indexAdd(int axis, int[] indices, Tensor source) {
        return Indexing.indexAdd(this, axis, indices, source);
    }

    /**
     * Elements picked along {@code axis} by an index tensor of whole numbers
     * ({@code torch.gather}): for a 3-D tensor and axis 1,
     * {@code out[i][j][k] = this[i][index[i][j][k]][k]}. The index has this tensor's rank, and
     * along the other axes at most its sizes; the result has the index's shape.
     */
    public Tensor gather(int axis, Tensor index) {
        return Indexing.gather(this, axis, index);
    }

    /**
     * This tensor plus {@code source}'s elements added at the positions an index tensor
     * names along {@code axis} ({@code torch.scatter_add}, out of place): for a 3-D tensor and
     * axis 1, {@code out[i][index[i][j][k]][k] += source[i][j][k]}. It is the adjoint of
     * {@link #gather}; repeated positions accumulate.
     */
    public Tensor scatterAdd(int axis, Tensor index, Tensor source) {
        return Indexing.scatterAdd(this, axis, index, source);
    }

    // ================================================================= text

    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
