package dev.autodiff;

import dev.autodiff.kernel.Strides;

/**
 * The primitives that pick elements by index, in transposed pairs: {@code indexSelect}
 * (whole entries along an axis, by an int array) with {@code indexAdd}, and {@code gather}
 * (single elements, by an index tensor) with {@code scatterAdd}. The VJP of each is its
 * partner, its JVP itself; the public {@code indexAdd} and {@code scatterAdd} into a given
 * tensor add that tensor to the scatter into zeros.
 *
 * <p>Index tensors hold whole numbers in float32, which represents every index up to 2^24
 * exactly; they are checked on every call.
 *
 * <p>Batched (under {@link AD#vmap}), an int array indexes the same axis of every example;
 * an index tensor may differ by example as the data may (per-example labels), and the
 * examples' gathers and scatters are one along the axis behind the batch axis.
 */
final class Indexing {
    private Indexing() {}

    // ----------------------------------------------------------------- by an int array along an axis

    static Tensor indexSelect(Tensor x, int axis, int[] indices) {
        int a = axisOf("indexSelect", x, axis);
        int n = x.shape[a];
        int[] idx = checked("indexSelect", indices, n, a, x.shape);
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("indexSelect", x, f -> indexSelect(f.x(0), f.axis(0, a), idx));
        } else {
            int[] o = Movement.around(x.shape, a);
            int[] shape = x.shape.clone();
            shape[a] = idx.length;
            int inner = o[2];
            float[] values = new float[Trace.sizeOf(shape)];
            float[] xValues = x.data();
            for (int b = 0; b < o[0]; b++) {
                for (int i = 0; i < idx.length; i++) {
                    System.arraycopy(xValues, (b * n + idx[i]) * inner, values, (b * idx.length + i) * inner, inner);
                }
            }
            out = new Tensor(values, shape);
        }
        return Trace.record("indexSelect", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {indexAddToZeros(g, a, idx, n)};
            }

            public Tensor jvp(Tensor[] t) {
                return indexSelect(t[0], a, idx);
            }
        }, x);
    }

    /** {@code base} plus {@code source}'s entries along the axis added at the indices. */
    static Tensor indexAdd(Tensor base, int axis, int[] indices, Tensor source) {
        int a = axisOf("indexAdd", base, axis);
        boolean fits = source.rank() == base.rank() && source.shape[a] == indices.length;
        for (int d = 0; fits && d < base.rank(); d++) {
            fits = d == a || source.shape[d] == base.shape[d];
        }
        if (!fits) {
            throw new IllegalArgumentException("indexAdd: source of shape " + Shapes.str(source.shape) + " does not fit "
                    + indices.length + " indices along axis " + a + " of shape " + Shapes.str(base.shape));
        }
        return base.add(indexAddToZeros(source, a, checked("indexAdd", indices, base.shape[a], a, base.shape),
                base.shape[a]));
    }

    /** Zeros with axis {@code a} of length {@code n}, and entry i of {@code x} along it added at {@code idx[i]}. */
    private static Tensor indexAddToZeros(Tensor x, int a, int[] idx, int n) {
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("indexAdd", x, f -> indexAddToZeros(f.x(0), f.axis(0, a), idx, n));
        } else {
            int[] shape = x.shape.clone();
            shape[a] = n;
            int[] o = Movement.around(x.shape, a);
            int inner = o[2];
            float[] values = new float[Trace.sizeOf(shape)];
            float[] xValues = x.data();
            for (int b = 0; b < o[0]; b++) {
                for (int i = 0; i < idx.length; i++) {
                    int src = (b * idx.length + i) * inner;
                    int dst = (b * n + idx[i]) * inner;
                    for (int j = 0; j < inner; j++) {
                        values[dst + j] += xValues[src + j];
                    }
                }
            }
            out = new Tensor(values, shape);
        }
        return Trace.record("indexAdd", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {indexSelect(g, a, idx)};
            }

            public Tensor jvp(Tensor[] t) {
                return indexAddToZeros(t[0], a, idx, n);
            }
        }, x);
    }

    // ----------------------------------------------------------------- by an index tensor

    static Tensor gather(Tensor x, int axis, Tensor index) {
        int a = axisOf("gather", x, axis);
        if (!Batching.any(index)) {
            return gatherAt(x, positions("gather", x.shape, a, index));
        }
        checkFits("gather", x.shape, a, index.shape);
        Tensor out = Batching.apply("gather", new Tensor[] {x, index},
                f -> gather(f.expanded(0), f.anyMapped() ? a + 1 : a, f.expanded(1)));
        return Trace.record("gather", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {scatterIntoZeros(g, a, index, x.shape), null};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0] == null ? null : gather(t[0], a, index);
            }
        }, x, index);
    }

    /** {@code base} plus {@code source}'s elements added at the positions the index names along the axis. */
    static Tensor scatterAdd(Tensor base, int axis, Tensor index, Tensor source) {
        int a = axisOf("scatterAdd", base, axis);
        if (!java.util.Arrays.equals(source.shape, index.shape)) {
            throw new IllegalArgumentException("scatterAdd: source of shape " + Shapes.str(source.shape)
                    + " and index of shape " + Shapes.str(index.shape) + " differ");
        }
        return base.add(scatterIntoZeros(source, a, index, base.shape));
    }

    /** Zeros of {@code shape} with {@code source}'s elements added at the positions the index names along axis {@code a}. */
    private static Tensor scatterIntoZeros(Tensor source, int a, Tensor index, int[] shape) {
        if (!Batching.any(index)) {
            return scatterAddToZeros(source, positions("scatterAdd", shape, a, index), shape);
        }
        checkFits("scatterAdd", shape, a, index.shape);
        Tensor out = Batching.apply("scatterAdd", new Tensor[] {source, index}, f -> f.anyMapped()
                ? scatterIntoZeros(f.expanded(0), a + 1, f.expanded(1), Batching.withFront(f.size(), shape))
                : scatterIntoZeros(f.x(0), a, f.x(1), shape));
        return Trace.record("scatterAdd", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {gather(g, a, index), null};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0] == null ? null : scatterIntoZeros(t[0], a, index, shape);
            }
        }, source, index);
    }

    /** Zeros of {@code shape} with element i of {@code x} added at flat position {@code p.offsets[i]}. */
    private static Tensor scatterAddToZeros(Tensor x, Positions p, int[] shape) {
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("scatterAdd", x, f -> !f.mapped(0) ? scatterAddToZeros(f.x(0), p, shape)
                    : scatterAddToZeros(f.x(0), p.perExample(f.size(), Trace.sizeOf(shape)), Batching.withFront(f.size(), shape)));
        } else {
            float[] values = new float[Trace.sizeOf(shape)];
            float[] xValues = x.data();
            for (int i = 0; i < p.offsets.length; i++) {
                values[p.offsets[i]] += xValues[i];
            }
            out = new Tensor(values, shape);
        }
        return Trace.record("scatterAdd", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {gatherAt(g, p)};
            }

            public Tensor jvp(Tensor[] t) {
                return scatterAddToZeros(t[0], p, shape);
            }
        }, x);
    }

    /** {@link #gather} at resolved positions: element i of the result is {@code x}'s at {@code p.offsets[i]}. */
    private static Tensor gatherAt(Tensor x, Positions p) {
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("gather", x, f -> !f.mapped(0) ? gatherAt(f.x(0), p)
                    : gatherAt(f.x(0), p.perExample(f.size(), x.size())));
        } else {
            float[] values = new float[p.offsets.length];
            float[] xValues = x.data();
            for (int i = 0; i < values.length; i++) {
                values[i] = xValues[p.offsets[i]];
            }
            out = new Tensor(values, p.shape);
        }
        return Trace.record("gather", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {scatterAddToZeros(g, p, x.shape)};
            }

            public Tensor jvp(Tensor[] t) {
                return gatherAt(t[0], p);
            }
        }, x);
    }

    /** The flat positions in a tensor of {@code shape} that the elements of an index tensor name, and the index's shape. */
    private record Positions(int[] offsets, int[] shape) {
        /** The same positions in each of {@code size} stacked tensors of {@code block} elements (a batch axis in front). */
        Positions perExample(int size, int block) {
            int[] all = new int[size * offsets.length];
            for (int b = 0; b < size; b++) {
                for (int i = 0; i < offsets.length; i++) {
                    all[b * offsets.length + i] = b * block + offsets[i];
                }
            }
            return new Positions(all, Batching.withFront(size, shape));
        }
    }

    /**
     * For each element of {@code index} (row-major), the flat offset in a tensor of
     * {@code shape} of the element at the same multi-index except along {@code axis}, where
     * the index's value is taken. The index must have the same rank and, along the other
     * axes, no larger sizes.
     */
    private static Positions positions(String op, int[] shape, int axis, Tensor index) {
        int[] indexShape = index.shape;
        checkFits(op, shape, axis, indexShape);
        int[] values = toInts(op, index);
        int rank = shape.length;
        int[] strides = Strides.of(shape);
        int[] offsets = new int[values.length];
        int[] at = new int[rank];
        int base = 0; // the offset of the index's multi-index with 0 along the axis
        for (int i = 0; i < values.length; i++) {
            int v = values[i];
            if (v < 0 || v >= shape[axis]) {
                throw new IndexOutOfBoundsException(op + ": index " + v + " at flat position " + i
                        + " is out of range for axis " + axis + " of shape " + Shapes.str(shape));
            }
            offsets[i] = base + v * strides[axis];
            for (int d = rank - 1; d >= 0; d--) {
                if (d != axis) {
                    base += strides[d];
                }
                if (++at[d] < indexShape[d]) {
                    break;
                }
                if (d != axis) {
                    base -= strides[d] * indexShape[d];
                }
                at[d] = 0;
            }
        }
        return new Positions(offsets, indexShape.clone());
    }

    // ----------------------------------------------------------------- checks

    /** Fails unless an index of {@code indexShape} fits a tensor of {@code shape} along {@code axis}. */
    private static void checkFits(String op, int[] shape, int axis, int[] indexShape) {
        boolean fits = indexShape.length == shape.length;
        for (int d = 0; fits && d < shape.length; d++) {
            fits = d == axis || indexShape[d] <= shape[d];
        }
        if (!fits) {
            throw new IllegalArgumentException(op + ": index of shape " + Shapes.str(indexShape) + " does not fit a tensor of shape "
                    + Shapes.str(shape) + " along axis " + axis + " (same rank, no larger along the other axes)");
        }
    }

    private static int axisOf(String op, Tensor x, int axis) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException(op + ": cannot index a scalar");
        }
        return Shapes.axis(op, axis, x.rank());
    }

    private static int[] checked(String op, int[] indices, int n, int axis, int[] shape) {
        int[] idx = indices.clone();
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= n) {
                throw new IndexOutOfBoundsException(op + ": index " + idx[i] + " at position " + i
                        + " is out of range for axis " + axis + " of shape " + Shapes.str(shape));
            }
        }
        return idx;
    }

    /** The values of an index tensor as ints; each must be a whole number in int range. */
    static int[] toInts(String op, Tensor t) {
        if (t.data() == null) {
            throw Batching.noSingleValue(op, t);
        }
        int[] out = new int[t.data().length];
        float[] tValues = t.data();
        for (int i = 0; i < out.length; i++) {
            float v = tValues[i];
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": value " + v + " at flat position " + i + " of a tensor of shape "
                        + Shapes.str(t.shape) + " is not a whole number in int range");
            }
            out[i] = (int) v;
        }
        return out;
    }
}
