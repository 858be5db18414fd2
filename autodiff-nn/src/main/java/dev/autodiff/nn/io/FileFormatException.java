package dev.autodiff.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file whose content does not follow its format (a checkpoint, an IDX or a CSV file):
 * the message names the file and, where it helps, the byte offset or the line and column.
 */
public class FileFormatException extends IOException {
    private final Path file;

    /** A problem with the file as a whole. */
    public FileFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /** A problem found at a byte offset from the start of the file. */
    public FileFormatException(Path file, long offset, String problem) {
        super(file + ": at byte " + offset + ": " + problem);
        this.file = file;
    }

    /** A problem in a text file, at a 1-based line and column. */
    public FileFormatException(Path file, long line, int column, String problem) {
        super(file + ": line " + line + ", column " + column + ": " + problem);
        this.file = file;
    }

    /** The file that is malformed. */
    public Path file() {
        return file;
    }
}
