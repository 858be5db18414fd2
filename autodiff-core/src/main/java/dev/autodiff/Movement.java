package dev.autodiff;

import dev.autodiff.kernel.Strides;

import java.util.Arrays;

/**
 * The primitives that move values without arithmetic (reshape, permute, broadcast,
 * slice, flip, concatenation) and their rules, and the compositions on them (squeeze,
 * unsqueeze, tile). Each one's VJP is its transpose: a slice pads, a broadcast sums, a
 * flip flips back. Indexing by index arrays is in {@link Indexing}. Batched (under
 * {@link AD#vmap}), each moves the same logical axes of the stacked examples, shifted
 * past the batch axis.
 */
final class Movement {
    private Movement() {}

    /** A new tensor object with the same values, linked to {@code x} in the graph and in forward mode. */
    static Tensor identity(Tensor x) {
        return passThrough("identity", x, Batching.any(x) ? Batching.apply("identity", x, f -> identity(f.x(0)))
                : x.view(x.shape));
    }

    /** As {@link #identity}, with an array of its own. */
    static Tensor copy(Tensor x) {
        return passThrough("copy", x, Batching.any(x) ? Batching.apply("copy", x, f -> copy(f.x(0)))
                : new Tensor(x.data().clone(), x.shape));
    }

    private static Tensor passThrough(String op, Tensor x, Tensor out) {
        return Trace.record(op, out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0];
            }
        }, x);
    }

    static Tensor reshape(Tensor x, int[] newShape) {
        int[] shape = inferShape(x, newShape);
        if (Arrays.equals(shape, x.shape)) {
            return x;
        }
        Tensor out = Batching.any(x) ? Batching.apply("reshape", x, f -> reshape(f.x(0), f.shape(0, shape)))
                : x.view(shape);
        return Trace.record("reshape", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.reshape(x.shape)};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].reshape(shape);
            }
        }, x);
    }

    private static int[] inferShape(Tensor x, int[] newShape) {
        int[] shape = newShape.clone();
        int unknown = -1;
        long known = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == -1 && unknown < 0) {
                unknown = d;
            } else if (shape[d] < 0) {
                throw new IllegalArgumentException("reshape: bad target shape " + Shapes.str(newShape));
            } else {
                known *= shape[d];
            }
        }
        int size = x.size();
        if (unknown >= 0 && known > 0 && size % known == 0) {
            shape[unknown] = (int) (size / known);
            known *= shape[unknown];
        }
        if (known != size || (unknown >= 0 && shape[unknown] < 0)) {
            throw new IllegalArgumentException("reshape: cannot reshape " + Shapes.str(x.shape) + " ("
                    + size + " elements) to " + Shapes.str(newShape));
        }
        return shape;
    }

    static Tensor permute(Tensor x, int[] perm) {
        int rank = x.rank();
        boolean[] seen = new boolean[rank];
        if (perm.length != rank) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of the "
                    + rank + " axes of " + Shapes.str(x.shape));
        }
        int[] p = new int[rank];
        int[] inverse = new int[rank];
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            p[i] = Shapes.axis("permute", perm[i], rank);
            if (seen[p[i]]) {
                throw new IllegalArgumentException("permute: axis " + p[i] + " appears twice in " + Arrays.toString(perm));
            }
            seen[p[i]] = true;
            inverse[p[i]] = i;
            shape[i] = x.shape[p[i]];
        }
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("permute", x, f -> f.mapped(0) ? permute(f.x(0), behindBatchAxis(p)) : permute(f.x(0), p));
        } else {
            out = Trace.output(shape, x);
            Tensor.kernels().permute(x.data(), x.shape, p, out.data());
        }
        return Trace.record("permute", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.permute(inverse)};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].permute(p);
            }
        }, x);
    }

    /** A permutation of the logical axes as one of the axes behind a batch axis, which stays first. */
    private static int[] behindBatchAxis(int[] perm) {
        int[] p = new int[perm.length + 1];
        for (int i = 0; i < perm.length; i++) {
            p[i + 1] = perm[i] + 1;
        }
        return p;
    }

    static Tensor broadcastTo(Tensor x, int[] target) {
        int[] shape = target.clone();
        int[] joint = Shapes.broadcast("broadcastTo", x.shape, shape);
        if (!Arrays.equals(joint, shape)) {
            throw new IllegalArgumentException("broadcastTo: cannot broadcast " + Shapes.str(x.shape) + " to "
                    + Shapes.str(target));
        }
        if (Arrays.equals(x.shape, shape)) {
            return x;
        }
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("broadcastTo", x, f -> broadcastTo(f.aligned(0, shape.length), f.shape(0, shape)));
        } else {
            out = Trace.output(shape, x);
            Tensor.kernels().broadcast(x.data(), Shapes.padLeft(x.shape, shape.length), out.data(), shape);
        }
        return Trace.record("broadcastTo", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {Elementwise.unbroadcast(g, x.shape)};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].broadcastTo(shape);
            }
        }, x);
    }

    static Tensor unsqueeze(Tensor x, int axis) {
        int a = Shapes.axis("unsqueeze", axis, x.rank() + 1);
        int[] s = new int[x.rank() + 1];
        System.arraycopy(x.shape, 0, s, 0, a);
        s[a] = 1;
        System.arraycopy(x.shape, a, s, a + 1, x.rank() - a);
        return x.reshape(s);
    }

    /** Drops the given axes (all when none) that have size 1. */
    static Tensor squeeze(Tensor x, int[] axes) {
        int[] ax = Shapes.axes("squeeze", axes, x.rank());
        boolean[] drop = new boolean[x.rank()];
        int dropped = 0;
        for (int a : ax) {
            if (x.shape[a] == 1) {
                drop[a] = true;
                dropped++;
            }
        }
        int[] shape = new int[x.rank() - dropped];
        for (int d = 0, k = 0; d < x.rank(); d++) {
            if (!drop[d]) {
                shape[k++] = x.shape[d];
            }
        }
        return x.reshape(shape);
    }

    /** {@code torch.tile} as a broadcast: {@code [s0, s1]} is viewed as {@code [1, s0, 1, s1]}, broadcast to {@code [r0, s0, r1, s1]}. */
    static Tensor tile(Tensor x, int[] reps) {
        Shapes.checkDims("tile", reps);
        int rank = Math.max(x.rank(), reps.length);
        int[] shape = Shapes.padLeft(x.shape, rank);
        int[] r = Shapes.padLeft(reps, rank);
        int[] interleaved = new int[2 * rank];
        int[] repeated = new int[2 * rank];
        int[] result = new int[rank];
        for (int d = 0; d < rank; d++) {
            interleaved[2 * d] = 1;
            interleaved[2 * d + 1] = shape[d];
            repeated[2 * d] = r[d];
            repeated[2 * d + 1] = shape[d];
            result[d] = r[d] * shape[d];
        }
        return x.reshape(interleaved).broadcastTo(repeated).reshape(result);
    }

    /** The elements in reverse order along each of the given axes (all when none). */
    static Tensor flip(Tensor x, int[] axes) {
        int[] ax = Shapes.axes("flip", axes, x.rank());
        Tensor out;
        if (Batching.any(x)) {
            // a scalar has no axis to flip (and no axes means all of the stacked tensor's)
            out = Batching.apply("flip", x, f -> ax.length == 0 ? copy(f.x(0)) : flip(f.x(0), f.axes(0, ax)));
        } else {
            float[] original = x.data();
            float[] values = original;
            for (int a : ax) {
                values = flipAxis(values, around(x.shape, a));
            }
            out = new Tensor(values == original ? values.clone() : values, x.shape);
        }
        return Trace.record("flip", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {flip(g, ax)};
            }

            public Tensor jvp(Tensor[] t) {
                return flip(t[0], ax);
            }
        }, x);
    }

    /** {@code x} viewed as {@code [outer, n, inner]} with the middle axis reversed. */
    private static float[] flipAxis(float[] x, int[] o) {
        int n = o[1];
        int inner = o[2];
        float[] out = new float[x.length];
        for (int b = 0; b < o[0]; b++) {
            int base = b * n * inner;
            for (int j = 0; j < n; j++) {
                System.arraycopy(x, base + (n - 1 - j) * inner, out, base + j * inner, inner);
            }
        }
        return out;
    }

    /** Copies {@code count} blocks of {@code block} floats between arrays with different block strides. */
    private static void copyBlocks(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride,
                                   int count, int block) {
        for (int i = 0; i < count; i++) {
            System.arraycopy(src, srcOffset + i * srcStride, dst, dstOffset + i * dstStride, block);
        }
    }

    /** Outer count, axis length and inner block size of a shape around an axis. */
    static int[] around(int[] shape, int axis) {
        int outer = 1;
        for (int d = 0; d < axis; d++) {
            outer *= shape[d];
        }
        int inner = 1;
        for (int d = axis + 1; d < shape.length; d++) {
            inner *= shape[d];
        }
        return new int[] {outer, shape[axis], inner};
    }

    static Tensor slice(Tensor x, int axis, int start, int end) {
        int a = Shapes.axis("slice", axis, x.rank());
        if (start < 0 || end < start || end > x.shape[a]) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is out of bounds for axis "
                    + a + " of shape " + Shapes.str(x.shape));
        }
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("slice", x, f -> slice(f.x(0), f.axis(0, a), start, end));
        } else {
            int[] shape = x.shape.clone();
            shape[a] = end - start;
            int[] o = around(x.shape, a);
            float[] values = new float[Strides.size(shape)];
            copyBlocks(x.data(), start * o[2], o[1] * o[2], values, 0, shape[a] * o[2], o[0], shape[a] * o[2]);
            out = new Tensor(values, shape);
        }
        return Trace.record("slice", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {pad(g, a, start, x.shape[a])};
            }

            public Tensor jvp(Tensor[] t) {
                return t[0].slice(a, start, end);
            }
        }, x);
    }

    /** Places {@code x} at {@code start} along an axis of length {@code length}, zeros elsewhere: the transpose of slice. */
    static Tensor pad(Tensor x, int axis, int start, int length) {
        Tensor out;
        if (Batching.any(x)) {
            out = Batching.apply("pad", x, f -> pad(f.x(0), f.axis(0, axis), start, length));
        } else {
            int[] shape = x.shape.clone();
            shape[axis] = length;
            int[] o = around(x.shape, axis);
            float[] values = new float[Strides.size(shape)];
            copyBlocks(x.data(), 0, o[1] * o[2], values, start * o[2], length * o[2], o[0], o[1] * o[2]);
            out = new Tensor(values, shape);
        }
        int end = start + x.shape[axis];
        return Trace.record("pad", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                return new Tensor[] {g.slice(axis, start, end)};
            }

            public Tensor jvp(Tensor[] t) {
                return pad(t[0], axis, start, length);
            }
        }, x);
    }

    static Tensor concat(int axis, Tensor[] parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        Tensor first = parts[0];
        int a = Shapes.axis("concat", axis, first.rank());
        int[] shape = first.shape.clone();
        int[] starts = new int[parts.length + 1];
        for (int i = 0; i < parts.length; i++) {
            int[] s = parts[i].shape;
            boolean compatible = s.length == shape.length;
            for (int d = 0; compatible && d < s.length; d++) {
                compatible = d == a || s[d] == shape[d];
            }
            if (!compatible) {
                throw new IllegalArgumentException("concat: tensor " + i + " has shape " + Shapes.str(s)
                        + ", which does not match " + Shapes.str(first.shape) + " outside axis " + a);
            }
            starts[i + 1] = starts[i] + s[a];
        }
        shape[a] = starts[parts.length];
        Tensor[] inputs = parts.clone();
        Tensor out;
        if (Batching.any(inputs)) {
            out = Batching.apply("concat", inputs, f -> {
                Tensor[] stacked = new Tensor[inputs.length];
                for (int i = 0; i < stacked.length; i++) {
                    stacked[i] = f.expanded(i);
                }
                return concat(f.anyMapped() ? a + 1 : a, stacked);
            });
        } else {
            int[] o = around(shape, a);
            float[] values = new float[Strides.size(shape)];
            for (int i = 0; i < parts.length; i++) {
                int len = parts[i].shape[a] * o[2];
                copyBlocks(parts[i].data(), 0, len, values, starts[i] * o[2], shape[a] * o[2], o[0], len);
            }
            out = new Tensor(values, shape);
        }
        return Trace.record("concat", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                Tensor[] grads = new Tensor[inputs.length];
                for (int i = 0; i < inputs.length; i++) {
                    grads[i] = g.slice(a, starts[i], starts[i + 1]);
                }
                return grads;
            }

            public Tensor jvp(Tensor[] t) {
                Tensor[] filled = new Tensor[t.length];
                for (int i = 0; i < t.length; i++) {
                    filled[i] = t[i] != null ? t[i] : inputs[i].zerosLike();
                }
                return concat(a, filled);
            }
        }, inputs);
    }
}
