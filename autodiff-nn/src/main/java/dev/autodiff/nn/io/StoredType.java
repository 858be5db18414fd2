package dev.autodiff.nn.io;

import java.nio.ByteBuffer;

/**
 * The safetensors dtypes this reader converts to float32, with their size in bytes.
 * Half-precision values widen exactly; F64 rounds to the nearest float and the integer
 * types (such as PyTorch's {@code num_batches_tracked} counters) are exact up to 2^24.
 */
enum StoredType {
    F32(4) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            src.asFloatBuffer().get(dst, offset, count);
        }
    },
    F64(8) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = (float) src.getDouble(8 * i);
            }
        }
    },
    F16(2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = Float.float16ToFloat(src.getShort(2 * i));
            }
        }
    },
    BF16(2) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            // bfloat16 is the upper half of a float32.
            for (int i = 0; i < count; i++) {
                dst[offset + i] = Float.intBitsToFloat(src.getShort(2 * i) << 16);
            }
        }
    },
    I64(8) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = src.getLong(8 * i);
            }
        }
    },
    I32(4) {
        @Override
        void decode(ByteBuffer src, float[] dst, int offset, int count) {
            for (int i = 0; i < count; i++) {
                dst[offset + i] = src.getInt(4 * i);
            }
        }
    };

    final int bytes;

    StoredType(int bytes) {
        this.bytes = bytes;
    }

    /** Converts {@code count} little-endian values from the start of {@code src} (position 0) into {@code dst}. */
    abstract void decode(ByteBuffer src, float[] dst, int offset, int count);

    /** The type named {@code dtype} in a header, or null when this reader does not support it. */
    static StoredType named(String dtype) {
        for (StoredType type : values()) {
            if (type.name().equals(dtype)) {
                return type;
            }
        }
        return null;
    }
}
