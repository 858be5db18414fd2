package dev.autodiff;

/**
 * The gradient a leaf accumulates over backward passes. It keeps the array of a
 * cleared gradient and lets the next backward pass write into it, so that a training
 * loop does not allocate a parameter-sized gradient per step.
 */
final class GradientStore {

    /** Writes a gradient into {@code target}, adding to its contents when {@code accumulate}. */
    @FunctionalInterface
    interface Writer {
        void write(float[] target, boolean accumulate);
    }

    private final int[] shape;
    private Tensor grad;
    /** Whether {@code grad}'s array belongs to this store alone (not a tensor given to setGrad or a cotangent a rule may hold). */
    private boolean owned;
    /** The cleared gradient whose array the next pass writes into. */
    private Tensor spare;

    GradientStore(int[] shape) {
        this.shape = shape;
    }

    Tensor get() {
        return grad;
    }

    void set(Tensor g) {
        if (g != null && g.lease != null) {
            g.lease.keep(g); // a gradient is read after its graph is freed
        }
        grad = g;
        owned = false;
    }

    void clear() {
        if (grad != null && owned) {
            spare = grad;
        }
        grad = null;
        owned = false;
    }

    /** Adds a cotangent; with {@code createGraph} the sum is itself recorded. */
    void add(Tensor g, boolean createGraph) {
        if (grad == null) {
            set(createGraph ? g : g.detach());
        } else if (createGraph || grad.requiresGrad) {
            set(grad.add(g));
        } else {
            addInPlace((target, accumulate) -> Tensor.kernels().axpby(1f, g.data(), 1f, target, target.length));
            // grad is non-null here, so addInPlace always accumulates
        }
    }

    /** Adds a cotangent by copying it into the owned array, for one whose array is recycled after the pass. */
    void addCopy(Tensor g) {
        if (grad != null && grad.requiresGrad) {
            set(grad.add(g));
            return;
        }
        float[] values = g.data();
        addInPlace((target, accumulate) -> {
            if (accumulate) {
                Tensor.kernels().axpby(1f, values, 1f, target, target.length);
            } else {
                System.arraycopy(values, 0, target, 0, target.length);
            }
        });
    }

    /** Lets {@code writer} add a cotangent straight into the owned array. */
    void addInPlace(Writer writer) {
        if (grad == null) {
            // A reused array is a write to the cleared gradient, which the caller may still hold.
            grad = spare != null ? spare.view(shape) : new Tensor(new float[Trace.sizeOf(shape)], shape);
            spare = null;
            writer.write(grad.data(), false);
            grad.written();
            owned = true;
            return;
        }
        if (!owned) {
            grad = new Tensor(grad.data().clone(), shape);
            owned = true;
        }
        writer.write(grad.data(), true);
        grad.written();
    }
}
