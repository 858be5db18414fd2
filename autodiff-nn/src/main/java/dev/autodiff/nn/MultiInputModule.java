package dev.autodiff.nn;

import dev.autodiff.Tensor;

/**
 * A module of several inputs, as a PyTorch module whose {@code forward} takes
 * {@code (x, y, ...)}: it declares how many it takes and implements
 * {@link #forward(Tensor...)}, which is called only with that many.
 *
 * <pre>{@code
 * class Bilinear extends MultiInputModule {
 *     private final Tensor weight = Tensor.randn(rng, 4, 3).requiresGrad();
 *
 *     Bilinear() {
 *         super(2);
 *     }
 *
 *     protected Tensor compute(Tensor... in) {
 *         return in[0].matmul(weight).mul(in[1]).sum(1);  // x1ᵀ W x2 per row
 *     }
 * }
 * Tensor y = new Bilinear().forward(x1, x2);
 * }</pre>
 *
 * In a {@link Sequential} it comes first: {@code sequential.forward(x1, x2)} gives it both
 * inputs, and its output goes on to the next module.
 */
public abstract class MultiInputModule extends Module {
    private final int inputs;

    /** A module that takes {@code inputs} tensors, at least 2. */
    protected MultiInputModule(int inputs) {
        if (inputs < 2) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": a module of several inputs takes at least 2, "
                    + "got " + inputs + "; a module of one input extends Module");
        }
        this.inputs = inputs;
    }

    /** The number of inputs {@link #forward(Tensor...)} takes. */
    public final int inputCount() {
        return inputs;
    }

    /** The output for the inputs, after checking there are as many as this module takes. */
    @Override
    public final Tensor forward(Tensor... in) {
        if (in.length != inputs) {
            throw new IllegalArgumentException(name() + ".forward: takes " + inputs + " inputs, got " + in.length);
        }
        return compute(in);
    }

    /** One input is too few: fails with the count, as {@code forward(x, y)} would with one. */
    @Override
    public final Tensor forward(Tensor x) {
        return forward(new Tensor[] {x});
    }

    /** The output for exactly {@link #inputCount()} inputs. */
    protected abstract Tensor compute(Tensor... inputs);
}
