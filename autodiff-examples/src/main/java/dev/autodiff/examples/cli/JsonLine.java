package dev.autodiff.examples.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A flat JSON object written on one line, for the {@code --json} summary that scripts read. */
final class JsonLine {
    private final Map<String, String> fields = new LinkedHashMap<>();

    /** Adds a string field. */
    JsonLine put(String key, String value) {
        fields.put(key, quote(value));
        return this;
    }

    /** Adds a number field; non-finite numbers become null, as JSON has no NaN. */
    JsonLine put(String key, double value) {
        fields.put(key, Double.isFinite(value) ? String.format(Locale.ROOT, "%.6g", value) : "null");
        return this;
    }

    /** Adds an integer field. */
    JsonLine put(String key, long value) {
        fields.put(key, Long.toString(value));
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        return sb.append('}').toString();
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
