package dev.autodiff.nn;

/**
 * An allocation the heap cannot hold, found before it was tried (see {@link HeapCheck}): the
 * message says what needed how many megabytes and how many the heap has.
 */
public final class NotEnoughMemoryException extends RuntimeException {
    private final long needed;
    private final long maxHeap;

    /** {@code what} needs {@code needed} bytes; {@code free} are left of a heap of at most {@code maxHeap}. */
    public NotEnoughMemoryException(String what, long needed, long free, long maxHeap) {
        super(what + " needs " + megabytes(needed) + " MB of heap, but only " + megabytes(Math.max(0, free))
                + " MB are free (maximum heap " + megabytes(maxHeap) + " MB)");
        this.needed = needed;
        this.maxHeap = maxHeap;
    }

    /** The bytes the allocation needed. */
    public long needed() {
        return needed;
    }

    /** The JVM's maximum heap when the check failed. */
    public long maxHeap() {
        return maxHeap;
    }

    /** Bytes in whole megabytes, rounded up. */
    public static long megabytes(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }
}
