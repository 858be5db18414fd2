package dev.autodiff.nn.io;

import dev.autodiff.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/** One entry of a safetensors header, checked on its own: a name, a dtype, a shape and a byte range. */
record StoredTensor(String name, StoredType type, int[] shape, long begin, long end) {
    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** Checks the header value of tensor {@code name}: its fields, dtype, shape and that its byte count matches. */
    static StoredTensor parse(Path file, String name, Object value) throws FileFormatException {
        String what = "tensor " + JsonString.quote(name);
        if (!(value instanceof Map<?, ?> fields)) {
            throw new FileFormatException(file, what + " must be an object, found " + describe(value));
        }
        for (Object field : fields.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new FileFormatException(file, what + " has unknown field " + JsonString.quote((String) field)
                        + " (expected dtype, shape and data_offsets)");
            }
        }
        if (!(fields.get("dtype") instanceof String dtype)) {
            throw new FileFormatException(file, what + ": dtype must be a string, found " + describe(fields.get("dtype")));
        }
        StoredType type = StoredType.named(dtype);
        if (type == null) {
            throw new FileFormatException(file, what + " has dtype " + dtype + ", which is not supported (supported: "
                    + Arrays.toString(StoredType.values()) + ")");
        }
        long[] dims = integers(file, what, "shape", fields.get("shape"));
        long[] offsets = integers(file, what, "data_offsets", fields.get("data_offsets"));
        if (offsets.length != 2 || offsets[0] > offsets[1]) {
            throw new FileFormatException(file, what + ": data_offsets must be [begin, end] with begin <= end, found "
                    + Arrays.toString(offsets));
        }
        long elements = 1;
        int[] shape = new int[dims.length];
        for (int d = 0; d < dims.length; d++) {
            if (dims[d] > Integer.MAX_VALUE) {
                throw new FileFormatException(file, what + " has dimension " + dims[d] + ", more than a tensor can hold");
            }
            shape[d] = (int) dims[d];
            // Capped at 2^31 so that the product of dimensions below 2^31 cannot overflow.
            elements = Math.min(elements * dims[d], Integer.MAX_VALUE + 1L);
        }
        if (elements > Integer.MAX_VALUE) {
            throw new FileFormatException(file, what + " of shape " + Arrays.toString(dims)
                    + " has more than 2^31-1 elements, more than a tensor can hold");
        }
        if (elements * type.bytes != offsets[1] - offsets[0]) {
            throw new FileFormatException(file, what + " of shape " + Arrays.toString(dims) + " and dtype " + type + " needs "
                    + elements * type.bytes + " bytes, but its data_offsets " + Arrays.toString(offsets) + " span "
                    + (offsets[1] - offsets[0]));
        }
        return new StoredTensor(name, type, shape, offsets[0], offsets[1]);
    }

    /** Reads this tensor's bytes from the data section that starts at {@code dataStart}, a chunk at a time. */
    Tensor load(FileChannel in, Path file, long dataStart, ByteBuffer chunk) throws IOException {
        int perChunk = chunk.capacity() / type.bytes;
        return Tensor.zeros(shape).writeInPlace(values -> {
            long position = dataStart + begin;
            for (int i = 0; i < values.length; i += perChunk) {
                int n = Math.min(perChunk, values.length - i);
                chunk.clear().limit(n * type.bytes);
                SafeTensors.readFully(in, file, position, chunk);
                chunk.flip();
                type.decode(chunk, values, i, n);
                position += (long) n * type.bytes;
            }
        });
    }

    private static long[] integers(Path file, String what, String field, Object value) throws FileFormatException {
        if (!(value instanceof long[] integers)) {
            throw new FileFormatException(file, what + ": " + field + " must be an array of integers, found " + describe(value));
        }
        return integers;
    }

    /** What a parsed header value is, for messages. */
    static String describe(Object value) {
        return switch (value) {
            case null -> "nothing";
            case String s -> "the string " + JsonString.quote(s);
            case long[] a -> "the array " + Arrays.toString(a);
            default -> "an object";
        };
    }
}
