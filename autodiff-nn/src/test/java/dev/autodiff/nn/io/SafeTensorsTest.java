package dev.autodiff.nn.io;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripKeepsValuesShapesAndMetadataInNameOrder() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("layer.1.weight", Tensor.of(new float[] {1, -2, 3.5f, Float.MIN_VALUE, -0f, 1e30f}, 2, 3));
        tensors.put("layer.0.bias", Tensor.vector(0.25f, -0.5f));
        tensors.put("scale", Tensor.scalar(7f));
        tensors.put("empty", Tensor.zeros(0, 4));
        tensors.put("cube", Tensor.arange(24).reshape(2, 3, 4));
        Path file = dir.resolve("model.safetensors");

        SafeTensors.write(file, tensors, Map.of("format", "pt", "note", "line\n\"quoted\" \\ é 😀"));
        SafeTensors.Contents read = SafeTensors.read(file);

        assertEquals(List.of("cube", "empty", "layer.0.bias", "layer.1.weight", "scale"), List.copyOf(read.tensors().keySet()));
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor back = read.tensors().get(entry.getKey());
            assertArrayEquals(entry.getValue().shape(), back.shape(), entry.getKey());
            assertArrayEquals(entry.getValue().toArray(), back.toArray(), entry.getKey());
        }
        assertEquals(Map.of("format", "pt", "note", "line\n\"quoted\" \\ é 😀"), read.metadata());
    }

    @Test
    void writesTheBytesThePythonLibraryWrites() throws IOException {
        Path file = dir.resolve("small.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.vector(1f, 2f));
        tensors.put("a", Tensor.scalar(-1f));
        SafeTensors.write(file, tensors, Map.of("format", "pt"));

        String json = "{\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        int padded = (json.length() + 7) / 8 * 8;
        ByteBuffer expected = ByteBuffer.allocate(8 + padded + 12).order(ByteOrder.LITTLE_ENDIAN);
        expected.putLong(padded).put((json + " ".repeat(padded - json.length())).getBytes(StandardCharsets.US_ASCII));
        expected.putFloat(-1f).putFloat(1f).putFloat(2f);
        assertArrayEquals(expected.array(), Files.readAllBytes(file));
    }

    /** Written by safetensors 0.8.0 ({@code safetensors.numpy.save}) with F32, F16, F64, I64 and I32 arrays. */
    private static final String PYTHON_FILE = "WAEAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJucCJ9LCJudW1fYmF0Y2hlc190cmFja2VkIjp7ImR0eXBlIjoiSTY0"
            + "Iiwic2hhcGUiOltdLCJkYXRhX29mZnNldHMiOlswLDhdfSwiZG91YmxlIjp7ImR0eXBlIjoiRjY0Iiwic2hhcGUiOlsxXSwiZGF0YV9vZmZzZXRzIjpb"
            + "OCwxNl19LCJ3ZWlnaHQiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsMl0sImRhdGFfb2Zmc2V0cyI6WzE2LDMyXX0sImlkeCI6eyJkdHlwZSI6Ikkz"
            + "MiIsInNoYXBlIjpbMl0sImRhdGFfb2Zmc2V0cyI6WzMyLDQwXX0sImhhbGYiOnsiZHR5cGUiOiJGMTYiLCJzaGFwZSI6WzNdLCJkYXRhX29mZnNldHMi"
            + "Ols0MCw0Nl19fSAgICAgIAcAAAAAAAAAmpmZmZmZuT8AAMA/AAAAwAAAgD4AAEBA/f///wQAAAAAOAC8/3s=";

    @Test
    void readsAFileWrittenByThePythonLibrary() throws IOException {
        Path file = dir.resolve("python.safetensors");
        Files.write(file, Base64.getDecoder().decode(PYTHON_FILE));

        SafeTensors.Contents read = SafeTensors.read(file);

        assertEquals(List.of("num_batches_tracked", "double", "weight", "idx", "half"), List.copyOf(read.tensors().keySet()));
        assertEquals(Map.of("format", "np"), read.metadata());
        assertEquals(0, read.tensors().get("num_batches_tracked").rank());
        assertEquals(7f, read.tensors().get("num_batches_tracked").item());
        assertArrayEquals(new float[] {0.1f}, read.tensors().get("double").toArray());
        assertArrayEquals(new int[] {2, 2}, read.tensors().get("weight").shape());
        assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 3f}, read.tensors().get("weight").toArray());
        assertArrayEquals(new float[] {-3f, 4f}, read.tensors().get("idx").toArray());
        assertArrayEquals(new float[] {0.5f, -1f, 65504f}, read.tensors().get("half").toArray());
    }

    @Test
    void readsBfloat16AsTheUpperHalfOfAFloat() throws IOException {
        // 0x3FC0 is 1.5 and 0xC020 is -2.5 in bfloat16.
        Path file = craft("{\"w\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[] {(byte) 0xC0, 0x3F, 0x20, (byte) 0xC0});
        assertArrayEquals(new float[] {1.5f, -2.5f}, SafeTensors.read(file).tensors().get("w").toArray());
    }

    @Test
    void largeTensorsCrossChunkBoundaries() throws IOException {
        float[] values = new float[200_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 7f;
        }
        Path file = dir.resolve("big.safetensors");
        SafeTensors.write(file, Map.of("big", Tensor.of(values, values.length), "after", Tensor.vector(9f)));
        SafeTensors.Contents read = SafeTensors.read(file);
        assertArrayEquals(values, read.tensors().get("big").toArray());
        assertArrayEquals(new float[] {9f}, read.tensors().get("after").toArray());
    }

    @Test
    void overwritingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.vector(1f, 2f, 3f)));
        SafeTensors.write(file, Map.of("w", Tensor.vector(4f)));
        assertArrayEquals(new float[] {4f}, SafeTensors.read(file).tensors().get("w").toArray());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void aWriteRemovesTheTemporaryFilesOfEarlierWritesThatWereKilled() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        // What a process killed between creating its temporary file and the rename leaves behind.
        Path stale = Files.write(dir.resolve(".ckpt.safetensors.0b6e7a52-3c1f-4d7e-9a41-5f2c8e9d1b73.tmp"), new byte[100]);
        Path unrelated = Files.write(dir.resolve(".other.safetensors.0b6e7a52-3c1f-4d7e-9a41-5f2c8e9d1b73.tmp"), new byte[1]);
        SafeTensors.write(file, Map.of("w", Tensor.vector(1f)));
        assertTrue(Files.notExists(stale));
        assertTrue(Files.exists(unrelated), "another target's temporary file stays");
    }

    @Test
    void aWriteThatFailsRemovesItsTemporaryFile() {
        Path file = dir.resolve("ckpt.safetensors");
        // A tensor map that fails while the data is written, after the temporary file exists.
        Map<String, Tensor> failing = new LinkedHashMap<>() {
            @Override
            public Tensor get(Object key) {
                throw new OutOfMemoryError("simulated");
            }
        };
        failing.put("w", Tensor.vector(1f));
        assertThrows(OutOfMemoryError.class, () -> SafeTensors.write(file, failing));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void writingToADirectoryOrIntoAMissingOneNamesTheTarget() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        IOException e = assertThrows(IOException.class, () -> SafeTensors.write(folder, Map.of("w", Tensor.scalar(1f))));
        assertEquals(folder.toAbsolutePath() + ": is a directory; give a file name", e.getMessage());
        Path missing = dir.resolve("absent/c.safetensors");
        e = assertThrows(IOException.class, () -> SafeTensors.write(missing, Map.of("w", Tensor.scalar(1f))));
        assertTrue(e.getMessage().startsWith(missing.toAbsolutePath() + ": its directory"), e.getMessage());
        assertTrue(e.getMessage().endsWith("does not exist"), e.getMessage());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(folder), files.toList());
        }
    }

    @Test
    void readingADirectoryNamesIt() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("folder.safetensors"));
        expectRejected(folder, "is a directory");
    }

    @Test
    void theHeaderGivesShapesAndMetadataWithoutTheData() throws IOException {
        Path file = dir.resolve("h.safetensors");
        SafeTensors.write(file, Map.of("b", Tensor.zeros(3), "a", Tensor.zeros(2, 5)), Map.of("k", "v"));
        SafeTensors.Header header = SafeTensors.readHeader(file);
        assertEquals(List.of("a", "b"), List.copyOf(header.shapes().keySet()));
        assertArrayEquals(new int[] {2, 5}, header.shapes().get("a"));
        assertEquals(Map.of("k", "v"), header.metadata());
        assertEquals(4L * 13, header.floatBytes());
    }

    @Test
    void aTensorLargerThanTheHeapIsRefusedBeforeItIsAllocated() throws IOException {
        // 2^31 - 1 F16 values: a 4 GiB sparse file that would take 8 GiB as floats.
        long count = Integer.MAX_VALUE;
        assumeTrue(Runtime.getRuntime().maxMemory() < 4 * count, "the heap could hold it");
        String json = "{\"w\":{\"dtype\":\"F16\",\"shape\":[" + count + "],\"data_offsets\":[0," + 2 * count + "]}}";
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("huge.safetensors");
        try (var out = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
            out.write(header);
            out.setLength(8 + header.length + 2 * count);
        }
        var e = assertThrows(dev.autodiff.nn.NotEnoughMemoryException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file + " (1 tensors) needs 8192 MB of heap"), e.getMessage());
    }

    @Test
    void theCheckpointGetsTheUsualPermissionsOfANewFile() throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("perm.safetensors");
        SafeTensors.write(file, Map.of("w", Tensor.scalar(1f)));
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
    }

    @Test
    void writeRefusesTheReservedNameAndLeavesNoFile() {
        Path file = dir.resolve("bad.safetensors");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(file, Map.of("__metadata__", Tensor.scalar(1f))));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertTrue(Files.notExists(file));
    }

    // ----------------------------------------------------------------- bad input

    @Test
    void rejectsAFileShorterThanTheHeaderLength() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {2, 0, 0});
        expectRejected(file, "file of 3 bytes is too short");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFile() throws IOException {
        expectRejected(raw(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(100).putInt(0).array()),
                "at byte 0: header length 100 exceeds the 4 bytes that follow it");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheLimitWithoutAllocatingIt() throws IOException {
        expectRejected(raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array()),
                "header length 1099511627776 exceeds the limit of 104857600 bytes");
        expectRejected(raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-1L).array()),
                "header length 18446744073709551615 exceeds the limit");
    }

    @Test
    void rejectsMalformedJsonWithTheByteOffset() throws IOException {
        // The header starts at byte 8; the closing brace after the stray comma is at index 20 of the JSON.
        expectRejected(craft("{\"a\":{\"dtype\":\"F32\",}}", new byte[0]), "at byte 28: malformed header JSON: expected a string key, found '}'");
        expectRejected(craft("[1, 2]", new byte[0]), "at byte 8: malformed header JSON: the header must be a JSON object, found '['");
        expectRejected(craft("{\"a\":{\"dtype\":\"F32\"", new byte[0]), "expected ',' or '}', found the end of the header");
        expectRejected(craft("{\"a\":true}", new byte[0]), "at byte 13: malformed header JSON: expected an object, a string or an array of integers, found 't'");
        expectRejected(craft("{\"a\":{\"shape\":[1.5]}}", new byte[0]), "at byte 23: malformed header JSON: expected an integer, found a number with a fraction");
        expectRejected(craft("{\"a\":{\"shape\":[-1]}}", new byte[0]), "at byte 23: malformed header JSON: expected a non-negative integer, found '-'");
        expectRejected(craft("{\"a\":{\"shape\":[99999999999999999999]}}", new byte[0]), "integer does not fit in 64 bits");
        expectRejected(craft("{\"a\":{\"b\":{}}}", new byte[0]), "objects nested more than 2 deep");
        expectRejected(craft("{\"a\\q\":{}}", new byte[0]), "at byte 11: malformed header JSON: invalid escape sequence");
        expectRejected(craft("{\"\\ud800\":{}}", new byte[0]), "unpaired surrogate");
        expectRejected(craft("{} x", new byte[0]), "at byte 11: malformed header JSON: unexpected 'x' after the header object");
    }

    @Test
    void rejectsInvalidUtf8InTheHeader() throws IOException {
        byte[] json = {'{', '"', 'a', (byte) 0xC3, '"', ':', '{', '}', '}'};
        ByteBuffer file = ByteBuffer.allocate(8 + json.length).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).put(json);
        expectRejected(raw(file.array()), "at byte 11: malformed header JSON: invalid UTF-8");
    }

    @Test
    void rejectsDuplicateNames() throws IOException {
        String entry = "{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        expectRejected(craft("{\"w\":" + entry + ",\"w\":" + entry + "}", new byte[4]),
                "at byte " + (8 + 6 + entry.length()) + ": malformed header JSON: duplicate key \"w\"");
    }

    @Test
    void rejectsUnsupportedDtypesByName() throws IOException {
        expectRejected(tensor("U8", "[4]", 0, 4, 4), "tensor \"w\" has dtype U8, which is not supported (supported: [F32, F64, F16, BF16, I64, I32])");
        expectRejected(tensor("F8_E4M3", "[4]", 0, 4, 4), "has dtype F8_E4M3");
    }

    @Test
    void rejectsAByteCountThatDoesNotMatchTheShape() throws IOException {
        expectRejected(tensor("F32", "[2,3]", 0, 20, 20),
                "tensor \"w\" of shape [2, 3] and dtype F32 needs 24 bytes, but its data_offsets [0, 20] span 20");
        expectRejected(tensor("F32", "[65536,65536]", 0, 16, 16), "more than 2^31-1 elements");
    }

    @Test
    void rejectsMalformedEntries() throws IOException {
        expectRejected(craft("{\"w\":\"F32\"}", new byte[0]), "tensor \"w\" must be an object, found the string \"F32\"");
        expectRejected(craft("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[0]),
                "tensor \"w\": data_offsets must be an array of integers, found nothing");
        expectRejected(craft("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":\"x\"}}", new byte[4]),
                "tensor \"w\" has unknown field \"extra\"");
        expectRejected(craft("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", new byte[4]),
                "data_offsets must be [begin, end] with begin <= end, found [4, 0]");
        expectRejected(craft("{\"__metadata__\":{\"k\":[1]}}", new byte[0]), "__metadata__ must map strings to strings; \"k\" holds the array [1]");
    }

    @Test
    void rejectsHolesOverlapsOffsetsBeyondTheFileAndTrailingBytes() throws IOException {
        String a = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
        String b = "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}";
        String c = "\"c\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";
        Path hole = craft("{" + a + "," + b + "}", new byte[12]);
        expectRejected(hole, "at byte " + (dataStart(hole) + 4) + ": hole in the data: bytes [4, 8) of the data section belong to no tensor");
        Path overlap = craft("{" + a + "," + c + "}", new byte[8]);
        expectRejected(overlap, "at byte " + dataStart(overlap) + ": tensor \"c\" at data_offsets [0, 8] overlaps tensor \"a\" which ends at 4");
        expectRejected(craft("{" + a + "," + b + "}", new byte[10]), "tensor \"b\" has data_offsets [8, 12] beyond the end of the file (10 bytes of data");
        Path trailing = craft("{" + a + "}", new byte[7]);
        expectRejected(trailing, "at byte " + (dataStart(trailing) + 4) + ": 3 trailing bytes after the last tensor belong to no tensor");
    }

    // ----------------------------------------------------------------- helpers

    private static void expectRejected(Path file, String fragment) {
        FileFormatException e = assertThrows(FileFormatException.class, () -> SafeTensors.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected \"" + fragment + "\" in: " + e.getMessage());
        assertEquals(file, e.file());
    }

    private Path tensor(String dtype, String shape, long begin, long end, int dataBytes) throws IOException {
        return craft("{\"w\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + "," + end + "]}}",
                new byte[dataBytes]);
    }

    /** A file with the given header (unpadded) and data bytes. */
    private Path craft(String json, byte[] data) throws IOException {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        return raw(ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array());
    }

    private Path raw(byte[] bytes) throws IOException {
        Path file = Files.createTempFile(dir, "crafted", ".safetensors");
        Files.write(file, bytes);
        return file;
    }

    private static long dataStart(Path file) throws IOException {
        return 8 + ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
