package dev.autodiff;

import dev.autodiff.kernel.Binary;

import java.util.Arrays;

/**
 * The matrix product primitive {@code op(A)·op(B)} (op: optional transpose of the last
 * two axes, never materialised) with its rules, and NumPy's {@code matmul} built on it.
 * Batched (under {@link AD#vmap}), the examples' products are one product with the batch
 * as a leading axis: an operand shared by every example is broadcast over it, and when
 * it is the right-hand matrix, every example's rows go through one GEMM with it.
 */
final class MatMul {
    private MatMul() {}

    /** NumPy matmul: 1-D operands become a row (left) or a column (right), batch axes broadcast. */
    static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape)
                    + ": scalars have no matrix product; use mul");
        }
        boolean rowVector = a.rank() == 1;
        boolean columnVector = b.rank() == 1;
        Tensor a2 = rowVector ? a.reshape(1, a.shape[0]) : a;
        Tensor b2 = columnVector ? b.reshape(b.shape[0], 1) : b;
        checkInner(a, b, a2.shape[a2.rank() - 1], b2.shape[b2.rank() - 2]);
        Tensor c = matmul(a2, b2, false, false);
        if (rowVector || columnVector) {
            int[] s = c.shape;
            int drop = (rowVector ? 1 : 0) + (columnVector ? 1 : 0);
            int[] shape = Arrays.copyOf(s, s.length - drop);
            if (!columnVector && rowVector) {
                shape[shape.length - 1] = s[s.length - 1];
            }
            c = c.reshape(shape);
        }
        return c;
    }

    private static void checkInner(Tensor a, Tensor b, int ka, int kb) {
        if (ka != kb) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape)
                    + ": inner dimensions " + ka + " and " + kb + " differ");
        }
    }

    /** {@code op(a)·op(b)} for operands of rank 2 or more. */
    static Tensor matmul(Tensor a, Tensor b, boolean ta, boolean tb) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: " + Shapes.str(a.shape) + " x " + Shapes.str(b.shape)
                    + ": transposed products need operands of rank 2 or more");
        }
        int m = a.shape[a.rank() - (ta ? 1 : 2)];
        int ka = a.shape[a.rank() - (ta ? 2 : 1)];
        int kb = b.shape[b.rank() - (tb ? 1 : 2)];
        checkInner(a, b, ka, kb);
        if (a.rank() == 2 && b.rank() == 2) {
            return product(a, b, ta, tb);
        }
        if (b.rank() == 2 && !ta) {
            // The rows of every batch of a are rows of one tall matrix.
            int[] lead = Arrays.copyOf(a.shape, a.rank() - 2);
            Tensor c = product(a.reshape(Shapes.rows(a.shape), ka), b, false, tb);
            int[] shape = Arrays.copyOf(lead, lead.length + 2);
            shape[lead.length] = m;
            shape[lead.length + 1] = c.shape[1];
            return c.reshape(shape);
        }
        int[] batchA = Arrays.copyOf(a.shape, a.rank() - 2);
        int[] batchB = Arrays.copyOf(b.shape, b.rank() - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        return product(expandBatch(a, batch), expandBatch(b, batch), ta, tb);
    }

    private static Tensor expandBatch(Tensor x, int[] batch) {
        int[] shape = Arrays.copyOf(batch, batch.length + 2);
        shape[batch.length] = x.shape[x.rank() - 2];
        shape[batch.length + 1] = x.shape[x.rank() - 1];
        return x.broadcastTo(shape);
    }

    /** The primitive: operands of equal rank and equal batch axes. */
    private static Tensor product(Tensor a, Tensor b, boolean ta, boolean tb) {
        Tensor out;
        if (Batching.any(a, b)) {
            out = Batching.apply("matmul", new Tensor[] {a, b}, f -> f.mapped(0) && f.mapped(1)
                    ? product(f.x(0), f.x(1), ta, tb) : matmul(f.x(0), f.x(1), ta, tb));
        } else {
            int r = a.rank();
            int[] shape = a.shape.clone();
            shape[r - 2] = a.shape[r - (ta ? 1 : 2)];
            shape[r - 1] = b.shape[r - (tb ? 2 : 1)];
            out = Trace.output(shape, a, b);
            multiply(a, b, ta, tb, out.data(), false);
        }
        return Trace.record("matmul", out, new Rule() {
            public Tensor[] vjp(Tensor g) {
                // dA = g·op(B)ᵀ and dB = op(A)ᵀ·g, written for each storage layout of A and B.
                Tensor da = ta ? cotangent(a, b, g, tb, true) : cotangent(a, g, b, false, !tb);
                Tensor db = tb ? cotangent(b, g, a, true, ta) : cotangent(b, a, g, !ta, false);
                return new Tensor[] {da, db};
            }

            public Tensor jvp(Tensor[] t) {
                return Elementwise.sum(t[0] == null ? null : product(t[0], b, ta, tb),
                        t[1] == null ? null : product(a, t[1], ta, tb));
            }
        }, a, b);
    }

    /**
     * The cotangent {@code op(p)·op(q)} of {@code input}: null when it needs none (each
     * product costs as much as the forward one) or when it went straight into the
     * input's gradient.
     */
    static Tensor cotangent(Tensor input, Tensor p, Tensor q, boolean tp, boolean tq) {
        if (!input.requiresGrad
                || Autograd.writeLeafGradient(input, (target, accumulate) -> multiply(p, q, tp, tq, target, accumulate), p, q)) {
            return null;
        }
        return product(p, q, tp, tq);
    }

    /** {@code out (+)= op(a)·op(b)} through the kernels. */
    private static void multiply(Tensor a, Tensor b, boolean ta, boolean tb, float[] out, boolean accumulate) {
        int r = a.rank();
        int m = a.shape[r - (ta ? 1 : 2)];
        int k = a.shape[r - (ta ? 2 : 1)];
        int n = b.shape[r - (tb ? 2 : 1)];
        int batch = 1;
        for (int d = 0; d < r - 2; d++) {
            batch *= a.shape[d];
        }
        if (k == 1 && !accumulate) {
            // An outer product (per-example weight gradients are one per example): the
            // broadcast multiply writes C in order, where GEMM tiles stride across its rows.
            // Transposing a k = 1 operand does not move its values; both round once.
            Tensor.kernels().binary(Binary.MUL, a.data(), new int[] {batch, m, 1}, b.data(), new int[] {batch, 1, n},
                    out, new int[] {batch, m, n});
            return;
        }
        Tensor.kernels().gemm(batch, ta, tb, m, n, k, a.data(), 0, m * k, b.data(), 0, k * n, out, 0, m * n, accumulate);
    }
}
