package dev.autodiff.nn;

/**
 * Checks, before a large allocation, that the JVM's heap can hold it, so that a data set or
 * a checkpoint too large for the heap fails at once with the size it needs instead of with an
 * {@link OutOfMemoryError} in the middle of reading.
 */
public final class HeapCheck {
    private HeapCheck() {}

    /** Room that stays free for the rest of the program (the model, batches, the JIT). */
    private static final long MARGIN = 32L << 20;

    /**
     * Throws a {@link NotEnoughMemoryException} when {@code bytes} more cannot fit in the heap
     * next to what is already in use; {@code what} names the allocation in the message.
     */
    public static void require(long bytes, String what) {
        if (bytes <= free()) {
            return;
        }
        // What looks used may be garbage: collect once before refusing.
        System.gc();
        long free = free();
        if (bytes > free) {
            throw new NotEnoughMemoryException(what, bytes, free, Runtime.getRuntime().maxMemory());
        }
    }

    /** The bytes that can still be allocated, less a margin. */
    private static long free() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory()) - MARGIN;
    }
}
