package dev.autodiff.nn.data;

import dev.autodiff.Tensor;

import java.util.Arrays;

/**
 * A finite, indexed collection of examples, as {@code torch.utils.data.Dataset}: an
 * implementation gives {@link #size()} and {@link #get(int)}, and every example has
 * features of one shape and either a class label or a float target of one shape.
 *
 * <pre>{@code
 * Dataset squares = new Dataset() {
 *     public int size() { return 100; }
 *     public Example get(int i) { return Example.withTarget(Tensor.scalar(i), Tensor.scalar(i * i)); }
 * };
 * }</pre>
 *
 * <p>The other methods have defaults built on {@code get}: the shapes and the kind of
 * target come from example 0, and a {@link DataLoader} copies each example's values into
 * its batch, checking their shape. A data set that holds its examples in arrays overrides
 * them (as {@link TensorDataset} does) so that a batch fills without a tensor per example;
 * one whose {@code get} is costly overrides at least {@link #featureShape()} and
 * {@link #targetShape()}, which the defaults call for every example they copy.
 */
public interface Dataset {
    /** The number of examples. */
    int size();

    /** Example {@code index}, from 0 to {@code size() - 1}. */
    Example get(int index);

    /** The shape of one example's features (a copy). */
    default int[] featureShape() {
        return first("featureShape").x().shape();
    }

    /** Whether examples carry integer class labels ({@link #label}) rather than float targets ({@link #copyTarget}). */
    default boolean hasLabels() {
        return first("hasLabels").hasLabel();
    }

    /** The shape of one example's float target (a copy); empty for data sets with labels. */
    default int[] targetShape() {
        Example e = first("targetShape");
        return e.hasLabel() ? new int[0] : e.y().shape();
    }

    /** Copies the features of example {@code index} into {@code dst} from {@code offset}, in row-major order. */
    default void copyFeatures(int index, float[] dst, int offset) {
        copy("features", index, get(index).x(), featureShape(), dst, offset);
    }

    /** The class label of example {@code index}; only for data sets with labels. */
    default int label(int index) {
        return get(index).label();
    }

    /** Copies the float target of example {@code index} into {@code dst} from {@code offset}; only for data sets with targets. */
    default void copyTarget(int index, float[] dst, int offset) {
        copy("target", index, get(index).y(), targetShape(), dst, offset);
    }

    private Example first(String what) {
        if (size() == 0) {
            throw new IllegalStateException("Dataset." + what + ": the data set is empty, so it has no example to tell");
        }
        return get(0);
    }

    private static void copy(String what, int index, Tensor values, int[] shape, float[] dst, int offset) {
        if (!Arrays.equals(values.shape(), shape)) {
            throw new IllegalStateException("Dataset: the " + what + " of example " + index + " have shape "
                    + Arrays.toString(values.shape()) + ", those of example 0 " + Arrays.toString(shape)
                    + "; examples batched together need one shape");
        }
        values.values().get(0, dst, offset, values.size());
    }
}
