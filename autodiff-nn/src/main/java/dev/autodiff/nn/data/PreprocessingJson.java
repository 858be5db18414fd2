package dev.autodiff.nn.data;

import it.unimi.dsi.fastutil.floats.FloatArrayList;

/**
 * Reads the JSON object of {@link Preprocessing#toJson()}: the keys {@code scale} (a number),
 * {@code mean} and {@code std} (arrays of numbers, or one number), in any order. Errors
 * name the character offset; the caller says where the text came from.
 */
final class PreprocessingJson {
    private final String text;
    private int pos;

    PreprocessingJson(String text) {
        this.text = text;
    }

    Preprocessing parse() {
        Float scale = null;
        float[] mean = null;
        float[] std = null;
        expect('{');
        if (!tryConsume('}')) {
            do {
                String key = string();
                expect(':');
                switch (key) {
                    case "scale" -> scale = number();
                    case "mean" -> mean = numbers();
                    case "std" -> std = numbers();
                    default -> throw error("unknown key \"" + key + "\" (expected scale, mean, std)");
                }
            } while (tryConsume(','));
            expect('}');
        }
        skipWhitespace();
        if (pos != text.length()) {
            throw error("unexpected text after the object");
        }
        if (scale == null || mean == null || std == null) {
            throw new IllegalArgumentException("the object needs the keys scale, mean and std, got " + text);
        }
        return new Preprocessing(scale, mean, std);
    }

    private float[] numbers() {
        skipWhitespace();
        if (!tryConsume('[')) {
            return new float[] {number()};
        }
        FloatArrayList values = new FloatArrayList();
        if (!tryConsume(']')) {
            do {
                values.add(number());
            } while (tryConsume(','));
            expect(']');
        }
        return values.toFloatArray();
    }

    private float number() {
        skipWhitespace();
        int start = pos;
        while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        try {
            return Float.parseFloat(text.substring(start, pos));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number");
        }
    }

    private String string() {
        expect('"');
        int start = pos;
        while (pos < text.length() && text.charAt(pos) != '"') {
            pos++;
        }
        if (pos == text.length()) {
            throw error("unterminated string");
        }
        return text.substring(start, pos++);
    }

    private void expect(char c) {
        if (!tryConsume(c)) {
            throw error("expected '" + c + "'");
        }
    }

    private boolean tryConsume(char c) {
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String what) {
        String found = pos < text.length() ? "'" + text.charAt(pos) + "'" : "the end";
        return new IllegalArgumentException(what + " at character " + pos + ", found " + found);
    }
}
