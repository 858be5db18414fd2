package dev.autodiff.nn;

import java.math.BigDecimal;

/** Numbers and tuples written as Python's {@code repr} writes them, for PyTorch-style module descriptions. */
final class PyRepr {
    private PyRepr() {}

    /** A float as Python prints it: shortest digits, scientific below 1e-4 or from 1e16 ({@code 1e-05}, {@code 0.1}). */
    static String number(float v) {
        if (v == 0 || !Float.isFinite(v)) {
            return v == 0 ? (1 / v < 0 ? "-0.0" : "0.0") : Float.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
        }
        BigDecimal d = new BigDecimal(Float.toString(v)).stripTrailingZeros();
        int exponent = d.precision() - d.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = d.unscaledValue().abs().toString();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String sign = v < 0 ? "-" : "";
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** A Python tuple of ints: {@code (8,)} or {@code (2, 3)}. */
    static String tuple(int[] values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(values.length == 1 ? ",)" : ")").toString();
    }

    /** A Python bool. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }
}
