package dev.autodiff.nn.io;

import it.unimi.dsi.fastutil.longs.LongArrayList;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The subset of JSON that a safetensors header uses: objects (as ordered maps), strings,
 * and arrays of non-negative integers (as {@code long[]}). Anything else (numbers outside
 * arrays, fractions, booleans, null, nested arrays, duplicate keys) is refused with the
 * byte offset in the file where it was found.
 */
final class HeaderJson {
    /** The header is an object of objects; deeper nesting is not part of the format. */
    private static final int MAX_DEPTH = 2;

    private final Path file;
    private final byte[] bytes;
    private final long base;
    private int pos;

    private HeaderJson(Path file, byte[] bytes, long base) {
        this.file = file;
        this.bytes = bytes;
        this.base = base;
    }

    /** Parses {@code bytes}, found at file offset {@code base}, as one object followed by nothing but whitespace. */
    static Map<String, Object> parseObject(Path file, byte[] bytes, long base) throws FileFormatException {
        HeaderJson parser = new HeaderJson(file, bytes, base);
        parser.skipWhitespace();
        if (parser.peek() != '{') {
            throw parser.error("the header must be a JSON object, found " + parser.describeNext());
        }
        Map<String, Object> result = parser.object(1);
        parser.skipWhitespace();
        if (parser.pos != bytes.length) {
            throw parser.error("unexpected " + parser.describeNext() + " after the header object");
        }
        return result;
    }

    private Object value(int depth) throws FileFormatException {
        skipWhitespace();
        return switch (peek()) {
            case '{' -> {
                if (depth >= MAX_DEPTH) {
                    throw error("objects nested more than " + MAX_DEPTH + " deep are not part of the format");
                }
                yield object(depth + 1);
            }
            case '"' -> string();
            case '[' -> integerArray();
            default -> throw error("expected an object, a string or an array of integers, found " + describeNext());
        };
    }

    private Map<String, Object> object(int depth) throws FileFormatException {
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a string key, found " + describeNext());
            }
            int keyAt = pos;
            String key = string();
            skipWhitespace();
            expect(':');
            Object value = value(depth);
            if (map.putIfAbsent(key, value) != null) {
                pos = keyAt;
                throw error("duplicate key " + JsonString.quote(key));
            }
            skipWhitespace();
            int c = peek();
            if (c != ',' && c != '}') {
                throw error("expected ',' or '}', found " + describeNext());
            }
            pos++;
            if (c == '}') {
                return map;
            }
        }
    }

    private long[] integerArray() throws FileFormatException {
        pos++; // '['
        LongArrayList values = new LongArrayList();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return values.toLongArray();
        }
        while (true) {
            skipWhitespace();
            values.add(integer());
            skipWhitespace();
            int c = peek();
            if (c != ',' && c != ']') {
                throw error("expected ',' or ']', found " + describeNext());
            }
            pos++;
            if (c == ']') {
                return values.toLongArray();
            }
        }
    }

    private long integer() throws FileFormatException {
        int start = pos;
        if (!isDigit(peek())) {
            throw error("expected a non-negative integer, found " + describeNext());
        }
        if (peek() == '0' && pos + 1 < bytes.length && isDigit(bytes[pos + 1])) {
            throw error("integers must not have leading zeros");
        }
        long value = 0;
        while (isDigit(peek())) {
            try {
                value = Math.addExact(Math.multiplyExact(value, 10), bytes[pos] - '0');
            } catch (ArithmeticException e) {
                pos = start;
                throw error("integer does not fit in 64 bits");
            }
            pos++;
        }
        int c = peek();
        if (c == '.' || c == 'e' || c == 'E') {
            pos = start;
            throw error("expected an integer, found a number with a fraction or exponent");
        }
        return value;
    }

    private String string() throws FileFormatException {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = peek();
            if (c == -1) {
                throw error("unterminated string");
            } else if (c == '"') {
                pos++;
                return out.toString();
            } else if (c == '\\') {
                escape(out);
            } else if (c < 0x20) {
                throw error(String.format("control character 0x%02x must be escaped in a string", c));
            } else {
                rawText(out);
            }
        }
    }

    /** Decodes a run of plain bytes as strict UTF-8. */
    private void rawText(StringBuilder out) throws FileFormatException {
        int start = pos;
        while (pos < bytes.length && bytes[pos] != '"' && bytes[pos] != '\\' && (bytes[pos] & 0xff) >= 0x20) {
            pos++;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes, start, pos - start);
        CharBuffer chars = CharBuffer.allocate(pos - start);
        CoderResult result = decoder.decode(in, chars, true);
        if (result.isError()) {
            pos = in.position();
            throw error("invalid UTF-8 in a string");
        }
        out.append(chars.flip());
    }

    private void escape(StringBuilder out) throws FileFormatException {
        int at = pos;
        pos++; // backslash
        int c = peek();
        pos++;
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case '/' -> out.append('/');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                char unit = hex4(at);
                if (Character.isHighSurrogate(unit) && peek() == '\\' && pos + 1 < bytes.length && bytes[pos + 1] == 'u') {
                    int lowAt = pos;
                    pos += 2;
                    char low = hex4(lowAt);
                    if (!Character.isLowSurrogate(low)) {
                        pos = lowAt;
                        throw error("a high surrogate escape must be followed by a low surrogate escape");
                    }
                    out.append(unit).append(low);
                } else if (Character.isSurrogate(unit)) {
                    pos = at;
                    throw error("unpaired surrogate escape");
                } else {
                    out.append(unit);
                }
            }
            default -> {
                pos = at;
                throw error("invalid escape sequence");
            }
        }
    }

    private char hex4(int escapeAt) throws FileFormatException {
        if (pos + 4 > bytes.length) {
            pos = escapeAt;
            throw error("truncated \\u escape");
        }
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(bytes[pos + i], 16);
            if (digit < 0) {
                pos = escapeAt;
                throw error("\\u must be followed by four hexadecimal digits");
            }
            value = value * 16 + digit;
        }
        pos += 4;
        return (char) value;
    }

    private void expect(char c) throws FileFormatException {
        if (peek() != c) {
            throw error("expected '" + c + "', found " + describeNext());
        }
        pos++;
    }

    private void skipWhitespace() {
        while (pos < bytes.length && (bytes[pos] == ' ' || bytes[pos] == '\n' || bytes[pos] == '\r' || bytes[pos] == '\t')) {
            pos++;
        }
    }

    private int peek() {
        return pos < bytes.length ? bytes[pos] & 0xff : -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private String describeNext() {
        int c = peek();
        if (c == -1) {
            return "the end of the header";
        }
        return c >= 0x20 && c < 0x7f ? "'" + (char) c + "'" : String.format("byte 0x%02x", c);
    }

    private FileFormatException error(String problem) {
        return new FileFormatException(file, base + pos, "malformed header JSON: " + problem);
    }
}
