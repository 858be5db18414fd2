package dev.autodiff.nn.io;

import dev.autodiff.Tensor;
import dev.autodiff.nn.HeapCheck;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Reads and writes named tensors in the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format, so that a state dict saved here loads in Python unchanged, and the other way round.
 *
 * <p>Layout: an 8-byte little-endian header length N, N bytes of UTF-8 JSON (padded with
 * spaces to a multiple of 8) mapping each name to its dtype, shape and byte range
 * ({@code data_offsets}, relative to the data section), an optional {@code __metadata__}
 * object of strings, then the little-endian data. Tensors are written as F32 in name order,
 * contiguously, as the Python library does; F32, F64, F16, BF16, I64 and I32 are read and
 * converted to float32. A file that breaks the format gets a {@link FileFormatException}
 * naming the file, the problem and, where it helps, the byte offset.
 */
public final class SafeTensors {
    /** Headers longer than this are refused before anything is allocated for them. */
    public static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 18;
    private static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Pattern UUID_FORM = Pattern.compile("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}");
    /** Name order as the Python library sorts: by the UTF-8 bytes, which differs from UTF-16 order for some characters. */
    private static final Comparator<String> UTF8_ORDER = Comparator.comparing(
            (String s) -> s.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    private SafeTensors() {}

    /** What a file holds: the tensors in file order, and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
        /** Keeps unmodifiable copies that preserve the iteration order of the given maps. */
        public Contents {
            tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Writes {@code tensors} without metadata; see {@link #write(Path, Map, Map)}. */
    public static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        write(file, tensors, Map.of());
    }

    /**
     * Writes {@code tensors} as F32 and {@code metadata} to {@code file}. The bytes go to a
     * temporary file in the same directory ({@code .NAME.<uuid>.tmp}), are forced to disk, and
     * the temporary file is then renamed atomically over {@code file}: a crash leaves either
     * the old file or the new one, never a torn one. A write that fails removes its temporary
     * file, and each write first removes those that earlier writes to the same file left
     * behind when the process was killed. The output depends only on the content, not on map
     * order.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Objects.requireNonNull(file, "file");
        List<String> names = checkedNames(tensors, metadata);
        byte[] header = header(names, tensors, metadata);
        Path target = file.toAbsolutePath();
        checkWritable(target);
        removeStaleTemporaryFiles(target);
        // Not Files.createTempFile: its owner-only permissions would carry over to the checkpoint.
        Path temp = target.resolveSibling(temporaryPrefix(target) + UUID.randomUUID() + TEMPORARY_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer start = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
                start.putLong(header.length).put(header).flip();
                writeFully(out, start);
                ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (String name : names) {
                    writeFloats(out, tensors.get(name).values(), chunk);
                }
                out.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            // The temporary file's name means nothing to the caller: name the target.
            throw new FileSystemException(target.toString(), null, "cannot write it: " + reason(e));
        } catch (Throwable e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Checks that {@code target} can be written: its directory exists and it is not itself a
     * directory. Callers that write late (after training) call this first, to fail early.
     */
    public static void checkWritable(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(target.toString(), null, "its directory " + parent + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new FileSystemException(target.toString(), null, "is a directory; give a file name");
        }
        if (!Files.isWritable(parent)) {
            throw new AccessDeniedException(target.toString(), null, "its directory " + parent + " is not writable");
        }
    }

    private static String temporaryPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /** Deletes the {@code .NAME.<uuid>.tmp} files of {@code target}: writes that were killed before their rename. */
    private static void removeStaleTemporaryFiles(Path target) throws IOException {
        String prefix = temporaryPrefix(target);
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(target.getParent(), p -> {
            String name = p.getFileName().toString();
            return name.startsWith(prefix) && name.endsWith(TEMPORARY_SUFFIX) && UUID_FORM.matcher(
                    name.substring(prefix.length(), name.length() - TEMPORARY_SUFFIX.length())).matches();
        })) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * The header of {@code file}: each tensor's shape (in the order of its data) and the
     * metadata, checked as {@link #read} checks them, without reading any tensor data. Callers
     * compare the shapes with what they expect before reading a large file.
     */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel in = open(file)) {
            return layout(in, file).header();
        }
    }

    /**
     * Reads every tensor of {@code file} (in the order of their data) and its metadata. The
     * header is checked first: the sizes it declares must fit the file and the heap before any
     * tensor is allocated.
     */
    public static Contents read(Path file) throws IOException {
        try (FileChannel in = open(file)) {
            Layout layout = layout(in, file);
            HeapCheck.require(layout.header().floatBytes(), file + " (" + layout.entries().size() + " tensors)");
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (StoredTensor stored : layout.entries()) {
                tensors.put(stored.name(), stored.load(in, file, layout.dataStart(), chunk));
            }
            return new Contents(tensors, layout.header().metadata());
        }
    }

    /**
     * What a file's header declares: the shape of each tensor in the order of its data, and
     * the metadata.
     */
    public record Header(Map<String, int[]> shapes, Map<String, String> metadata) {
        /** Keeps unmodifiable copies that preserve the iteration order of the given maps. */
        public Header {
            shapes = Collections.unmodifiableMap(new LinkedHashMap<>(shapes));
            metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }

        /** The bytes the tensors take once read as float32. */
        public long floatBytes() {
            long bytes = 0;
            for (int[] shape : shapes.values()) {
                long n = 1;
                for (int d : shape) {
                    n *= d;
                }
                bytes += n * Float.BYTES;
            }
            return bytes;
        }
    }

    /** A checked header: the entries sorted by offset and where the data section starts. */
    private record Layout(Header header, List<StoredTensor> entries, long dataStart) {}

    private static FileChannel open(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FileFormatException(file, "is a directory, not a safetensors file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static Layout layout(FileChannel in, Path file) throws IOException {
        long fileSize = in.size();
        if (fileSize < 8) {
            throw new FileFormatException(file, "file of " + fileSize + " bytes is too short for the 8-byte header length");
        }
        long headerLength = readFully(in, file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new FileFormatException(file, 0, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        if (headerLength > fileSize - 8) {
            throw new FileFormatException(file, 0, "header length " + headerLength + " exceeds the "
                    + (fileSize - 8) + " bytes that follow it in the file");
        }
        ByteBuffer headerBytes = readFully(in, file, 8, (int) headerLength);
        Map<String, Object> header = HeaderJson.parseObject(file, headerBytes.array(), 8);
        Map<String, String> metadata = metadata(file, header.remove(METADATA_KEY));
        List<StoredTensor> layout = new ArrayList<>();
        for (Map.Entry<String, Object> entry : header.entrySet()) {
            layout.add(StoredTensor.parse(file, entry.getKey(), entry.getValue()));
        }
        long dataStart = 8 + headerLength;
        checkLayout(file, layout, dataStart, fileSize - dataStart);
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (StoredTensor stored : layout) {
            shapes.put(stored.name(), stored.shape().clone());
        }
        return new Layout(new Header(shapes, metadata), layout, dataStart);
    }

    private static List<String> checkedNames(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
        List<String> names = new ArrayList<>(tensors.size());
        tensors.forEach((name, tensor) -> {
            if (name == null || tensor == null) {
                throw new IllegalArgumentException("SafeTensors.write: null name or tensor (" + name + ")");
            }
            if (name.equals(METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors.write: " + METADATA_KEY + " is reserved for metadata");
            }
            names.add(name);
        });
        metadata.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new IllegalArgumentException("SafeTensors.write: null metadata key or value (" + key + ")");
            }
        });
        names.sort(UTF8_ORDER);
        return names;
    }

    /** The header JSON, padded with spaces to a multiple of 8 bytes so that the data starts aligned. */
    private static byte[] header(List<String> names, Map<String, Tensor> tensors, Map<String, String> metadata) {
        StringBuilder json = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            json.append(JsonString.quote(METADATA_KEY)).append(":{");
            TreeMap<String, String> sorted = new TreeMap<>(UTF8_ORDER);
            sorted.putAll(metadata);
            String separator = "";
            for (Map.Entry<String, String> entry : sorted.entrySet()) {
                json.append(separator).append(JsonString.quote(entry.getKey())).append(':')
                        .append(JsonString.quote(entry.getValue()));
                separator = ",";
            }
            json.append('}');
        }
        long offset = 0;
        for (String name : names) {
            Tensor tensor = tensors.get(name);
            long end = offset + 4L * tensor.size();
            json.append(json.length() > 1 ? "," : "").append(JsonString.quote(name))
                    .append(":{\"dtype\":\"F32\",\"shape\":").append(Arrays.toString(tensor.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        byte[] bytes = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(bytes, (bytes.length + 7) & ~7);
        Arrays.fill(padded, bytes.length, padded.length, (byte) ' ');
        return padded;
    }

    private static Map<String, String> metadata(Path file, Object value) throws FileFormatException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (value == null) {
            return metadata;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new FileFormatException(file, METADATA_KEY + " must be an object, found " + StoredTensor.describe(value));
        }
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new FileFormatException(file, METADATA_KEY + " must map strings to strings; "
                        + JsonString.quote((String) entry.getKey()) + " holds " + StoredTensor.describe(entry.getValue()));
            }
            metadata.put((String) entry.getKey(), text);
        }
        return metadata;
    }

    /** Sorts {@code layout} by offset and checks that the tensors tile the data section exactly. */
    private static void checkLayout(Path file, List<StoredTensor> layout, long dataStart, long dataSize)
            throws FileFormatException {
        layout.sort(Comparator.comparingLong(StoredTensor::begin).thenComparingLong(StoredTensor::end));
        long expected = 0;
        StoredTensor previous = null;
        for (StoredTensor stored : layout) {
            if (stored.end() > dataSize) {
                throw new FileFormatException(file, dataStart + stored.begin(), "tensor " + JsonString.quote(stored.name())
                        + " has data_offsets [" + stored.begin() + ", " + stored.end() + "] beyond the end of the file ("
                        + dataSize + " bytes of data after the header)");
            }
            if (stored.begin() > expected) {
                throw new FileFormatException(file, dataStart + expected, "hole in the data: bytes [" + expected + ", "
                        + stored.begin() + ") of the data section belong to no tensor");
            }
            if (stored.begin() < expected) {
                throw new FileFormatException(file, dataStart + stored.begin(), "tensor " + JsonString.quote(stored.name())
                        + " at data_offsets [" + stored.begin() + ", " + stored.end() + "] overlaps tensor "
                        + JsonString.quote(previous.name()) + " which ends at " + expected);
            }
            expected = stored.end();
            previous = stored;
        }
        if (expected != dataSize) {
            throw new FileFormatException(file, dataStart + expected, (dataSize - expected)
                    + " trailing bytes after the last tensor belong to no tensor");
        }
    }

    private static void writeFloats(FileChannel out, FloatBuffer values, ByteBuffer chunk) throws IOException {
        int perChunk = chunk.capacity() / Float.BYTES;
        for (int i = 0; i < values.limit(); i += perChunk) {
            int n = Math.min(perChunk, values.limit() - i);
            chunk.clear();
            chunk.asFloatBuffer().put(0, values, i, n);
            chunk.limit(n * Float.BYTES);
            writeFully(out, chunk);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Reads {@code length} bytes at {@code position} into a new buffer. */
    private static ByteBuffer readFully(FileChannel in, Path file, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        readFully(in, file, position, buffer);
        return buffer.flip();
    }

    /** Fills {@code buffer} from {@code position}; the file may not end first. */
    static void readFully(FileChannel in, Path file, long position, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            int n = in.read(buffer, position);
            if (n < 0) {
                throw new FileFormatException(file, position, "file ended while reading");
            }
            position += n;
        }
    }
}
