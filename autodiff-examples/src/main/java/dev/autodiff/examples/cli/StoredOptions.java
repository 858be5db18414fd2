package dev.autodiff.examples.cli;

import dev.autodiff.nn.Labeled;
import picocli.CommandLine;

import java.util.Arrays;
import java.util.Map;

/**
 * The options a checkpoint's metadata stores, read back for {@code eval} and {@code --resume}
 * with the checks the command line gives the same options: a file edited or damaged by hand
 * gets a one-line error that names it, the key and the value, and what the value should be.
 */
final class StoredOptions {
    private final Map<String, String> metadata;
    private final String source;

    StoredOptions(Map<String, String> metadata, String source) {
        this.metadata = metadata;
        this.source = source;
    }

    /** The file the metadata came from, as errors name it. */
    String source() {
        return source;
    }

    /** Whether the key is present. */
    boolean has(String key) {
        return metadata.containsKey(key);
    }

    /** The value of a key that must be present. */
    String text(String key) {
        String v = metadata.get(key);
        if (v == null) {
            throw new IllegalArgumentException(source + ": not a checkpoint of autodiff train (metadata '" + key
                    + "' is missing)");
        }
        return v;
    }

    /** A whole number of at least {@code min}. */
    int integer(String key, int min) {
        String v = text(key);
        try {
            int n = Integer.parseInt(v);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw invalid(key, "a whole number of at least " + min);
    }

    /** A whole number, or {@code absent} when the key is not there. */
    int integerOr(String key, int absent) {
        return has(key) ? integer(key, Integer.MIN_VALUE) : absent;
    }

    /** A whole number in the range of a long. */
    long longInteger(String key) {
        try {
            return Long.parseLong(text(key));
        } catch (NumberFormatException e) {
            throw invalid(key, "a whole number");
        }
    }

    /** {@code true} or {@code false}, or {@code absent} when the key is not there. */
    boolean booleanOr(String key, boolean absent) {
        if (!has(key)) {
            return absent;
        }
        return switch (text(key)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, "true or false");
        };
    }

    /** A finite number. */
    double finite(String key) {
        try {
            double d = Double.parseDouble(text(key));
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw invalid(key, "a finite number");
    }

    /** Sizes separated by commas, each at least 1; empty for none. */
    int[] sizes(String key) {
        String v = text(key);
        if (v.isEmpty()) {
            return new int[0];
        }
        try {
            int[] sizes = Arrays.stream(v.split(",", -1)).mapToInt(Integer::parseInt).toArray();
            if (Arrays.stream(sizes).allMatch(s -> s >= 1)) {
                return sizes;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw invalid(key, "a list of positive sizes separated by commas (empty for none)");
    }

    /** The data set, which must be one of the kinds the trainer knows (its files are looked for later). */
    String dataset() {
        String spec = text("dataset");
        try {
            DataSource.requireKnown(spec);
        } catch (IllegalArgumentException e) {
            throw unusable("data set", e);
        }
        return spec;
    }

    /** One of the labels of {@code type}. */
    <E extends Enum<E> & Labeled> E choice(Class<E> type, String key) {
        try {
            return Choice.parse(type, text(key));
        } catch (CommandLine.TypeConversionException e) {
            throw invalid(key, "one of " + Choice.labels(type));
        }
    }

    /** An error naming the file, the key, its value and what it should be. */
    IllegalArgumentException invalid(String key, String expected) {
        return new IllegalArgumentException(source + ": metadata " + key + " is '" + metadata.get(key) + "', not "
                + expected);
    }

    /** An error from a check of values read here (a rule of the model or the optimizer), with the file named. */
    IllegalArgumentException unusable(String what, IllegalArgumentException e) {
        return new IllegalArgumentException(source + ": the " + what + " in its metadata cannot be used: "
                + e.getMessage(), e);
    }
}
