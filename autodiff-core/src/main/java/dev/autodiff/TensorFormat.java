package dev.autodiff;

import java.util.Locale;

/** The text form of a tensor, NumPy-like, with long axes elided in the middle. */
final class TensorFormat {
    private TensorFormat() {}

    /** Axes longer than this show their first and last {@link #EDGE} entries only. */
    private static final int LONG_AXIS = 8;
    private static final int EDGE = 3;

    static String format(Tensor t) {
        if (t.batched != null) {
            Batched b = t.batched;
            String what = b.mapped() ? b.size() + " examples of shape " + Shapes.str(t.shape)
                    : "shared by " + b.size() + " examples, shape " + Shapes.str(t.shape);
            return "batched(" + what + ", vmap level " + b.level() + ": " + format(b.physical()) + ")";
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.lease != null && t.lease.recycled()) {
            sb.append("<recycled after backward()>"); // a debugger's view must not throw
        } else {
            appendValues(sb, t, 0, 0);
        }
        sb.append(", shape=").append(Shapes.str(t.shape));
        if (t.node != null) {
            sb.append(", op=").append(t.node.op);
        } else if (t.requiresGrad) {
            sb.append(", requiresGrad");
        }
        return sb.append(')').toString();
    }

    private static void appendValues(StringBuilder sb, Tensor t, int axis, int offset) {
        if (axis == t.shape.length) {
            sb.append(number(t.data()[offset]));
            return;
        }
        int n = t.shape[axis];
        int stride = 1;
        for (int d = axis + 1; d < t.shape.length; d++) {
            stride *= t.shape[d];
        }
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (n > LONG_AXIS && i == EDGE) {
                sb.append("..., ");
                i = n - EDGE;
            }
            appendValues(sb, t, axis + 1, offset + i * stride);
            if (i < n - 1) {
                sb.append(", ");
            }
        }
        sb.append(']');
    }

    private static String number(float v) {
        if (v == (long) v && Math.abs(v) < 1e7f) {
            return Long.toString((long) v) + ".";
        }
        float a = Math.abs(v);
        if (Float.isFinite(v) && (a < 1e-4f || a >= 1e6f)) {
            return String.format(Locale.ROOT, "%.4e", v);
        }
        return Float.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : Float.toString(v);
    }
}
