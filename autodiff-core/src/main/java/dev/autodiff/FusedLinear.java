package dev.autodiff;

import dev.autodiff.kernel.Kernels;
import dev.autodiff.kernel.Unary;

/**
 * The linear layer as one primitive, {@code y = x·Wᵀ + b} and {@code y = relu(x·Wᵀ + b)}:
 * one kernel adds the bias and applies ReLU to each block of the product while it is in
 * cache ({@link dev.autodiff.kernel.Kernels#linear}), where the composition of matmul, add
 * and relu makes two more passes over the output and two more arrays. Its values, and its
 * derivatives below, are the bits of that composition, but for one row of inputs where no
 * rule is needed (inference on one sample): the kernels then read the weight in their
 * layout for one row ({@link OneRowWeight}), which may change the last bits.
 *
 * <p>With {@code z = x·Wᵀ + b} and {@code g_z = g·[y > 0]} under ReLU ({@code y > 0}
 * exactly where {@code z > 0}, so the pre-activation need not be kept), else {@code g}:
 * <pre>
 * VJP:  dx = g_z·W     dW = g_zᵀ·x     db = Σ_rows g_z
 * JVP:  t_z = t_x·Wᵀ + x·t_Wᵀ + t_b    t_y = t_z·[y > 0] under ReLU, else t_z
 * </pre>
 */
final class FusedLinear {
    private FusedLinear() {}

    /** {@code x·Wᵀ + b}, then ReLU when asked, for x {@code [m, k]}, W {@code [n, k]} and b {@code [n]} or null. */
    static Tensor apply(Tensor x, Tensor w, Tensor b, boolean relu) {
        int m = x.shape[0];
        int k = x.shape[1];
        int n = w.shape[0];
        int[] shape = {m, n};
        Tensor y = b == null ? Trace.output(shape, x, w) : Trace.output(shape, x, w, b);
        Kernels kernels = Tensor.kernels();
        float[] bias = b == null ? null : b.data();
        float[] oneRow = m == 1 && w.lease == null && !differentiating(x, w, b) ? OneRowWeight.of(w, kernels) : null;
        if (oneRow != null) {
            kernels.linearOneRow(n, k, x.data(), w.data(), oneRow, bias, relu, y.data());
        } else {
            kernels.linear(m, n, k, x.data(), w.data(), bias, relu, y.data());
        }
        Rule rule = new Rule() {
            public Tensor[] vjp(Tensor g) {
                Tensor gz = relu ? Elementwise.timesDerivative(Unary.RELU, 0f, g, y, y) : g;
                Tensor dx = MatMul.cotangent(x, gz, w, false, false);
                Tensor dw = MatMul.cotangent(w, gz, x, true, false);
                Tensor db = b != null && b.requiresGrad ? Elementwise.unbroadcast(gz, b.shape) : null;
                if (gz != g) {
                    Trace.discard(gz); // the masked cotangent is used up: the sums above made new arrays
                }
                return b == null ? new Tensor[] {dx, dw} : new Tensor[] {dx, dw, db};
            }

            public Tensor jvp(Tensor[] t) {
                Tensor tz = Elementwise.sum(t[0] == null ? null : t[0].matmul(w, false, true),
                        t[1] == null ? null : x.matmul(t[1], false, true));
                if (b != null && t[2] != null) {
                    tz = tz == null ? t[2].broadcastTo(shape) : tz.add(t[2]);
                }
                return relu ? Elementwise.timesDerivative(Unary.RELU, 0f, tz, y, y) : tz;
            }
        };
        String op = relu ? "linearRelu" : "linear";
        return b == null ? Trace.record(op, y, rule, x, w) : Trace.record(op, y, rule, x, w, b);
    }

    /** Whether a rule of this op on x, w and b (or null) would be used. */
    private static boolean differentiating(Tensor x, Tensor w, Tensor b) {
        return b == null ? Trace.differentiating(x, w) : Trace.differentiating(x, w, b);
    }
}
