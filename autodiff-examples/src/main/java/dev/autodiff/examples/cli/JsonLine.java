package dev.autodiff.examples.cli;

import dev.autodiff.nn.io.JsonString;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A flat JSON object written on one line, for the {@code --json} summary that scripts read. */
final class JsonLine {
    private final Map<String, String> fields = new LinkedHashMap<>();

    /** Adds a string field. */
    JsonLine put(String key, String value) {
        fields.put(key, JsonString.quote(value));
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
        fields.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append(JsonString.quote(k)).append(':').append(v));
        return sb.append('}').toString();
    }
}
