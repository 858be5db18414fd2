package dev.autodiff;

import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The arrays of one thread's training steps, recycled. The outputs of recorded ops and the
 * cotangents of a backward pass that creates no graph come from here; when that pass frees
 * the graph it hands back the arrays of the graph's inner tensors (not the root's) and of
 * its own cotangents, and the next step's ops take them instead of allocating, so that a
 * training loop makes almost no garbage. Arrays of other tensors (leaves, results computed
 * under {@link NoGrad} or from tensors that require no gradient) are never recycled.
 *
 * <p>A tensor whose array was handed back stays readable until the array is reused, and a
 * read keeps it for good; once reused, using the old tensor fails ({@link Lease}). The arena
 * holds at most a sixteenth of the heap, and forgets array lengths that no op asked for in
 * the last two passes. It is confined to its thread: it lives in that thread's {@link Trace}.
 */
final class Arena {
    /** Shorter arrays are not worth recycling, and are the ones users keep: losses, metrics. */
    static final int MIN_LENGTH = 256;
    private static final long CAPACITY_BYTES = Runtime.getRuntime().maxMemory() / 16;

    /** Released arrays of one length, the last released on top. */
    private static final class Shelf {
        final ArrayDeque<Lease> leases = new ArrayDeque<>();
        /** The backward pass in which an op last asked for this length. */
        int lastUsed;

        Shelf(int lastUsed) {
            this.lastUsed = lastUsed;
        }
    }

    private final Int2ObjectOpenHashMap<Shelf> shelves = new Int2ObjectOpenHashMap<>();
    private long bytes;
    /** Recycling backward passes so far; the current one's number marks the cotangents it makes. */
    private int passes;
    /** Test hook: this arena fills recycled arrays with NaN, so that an op that leaves an element unwritten shows. */
    boolean poison;
    /** The arrays this arena has made rather than recycled, for tests. */
    long arraysMade;

    /**
     * A tensor of {@code shape} for the result of an op, its values unset: the op must write
     * every element. The caller must have read its inputs ({@link Tensor#data()}) before, so
     * that an input whose graph was freed is kept and cannot be handed out here
     * ({@link Trace#output}).
     *
     * @param pass the recycling backward pass making a cotangent, 0 for an op's output, -1 for
     *             an array that is never handed back (plain allocation)
     */
    Tensor allocate(int[] shape, int pass) {
        int length = Trace.sizeOf(shape);
        if (pass < 0 || length < MIN_LENGTH) {
            return new Tensor(new float[length], shape);
        }
        Shelf shelf = shelves.get(length);
        if (shelf != null) {
            shelf.lastUsed = passes;
            while (!shelf.leases.isEmpty()) {
                Lease old = shelf.leases.pop();
                bytes -= 4L * length;
                if (old.recycle()) {
                    if (poison) {
                        Arrays.fill(old.array, Float.NaN);
                    }
                    return new Tensor(new Lease(old.array, pass), shape);
                }
            }
        }
        arraysMade++;
        return new Tensor(new Lease(new float[length], pass), shape);
    }

    /** Starts a recycling backward pass; returns its number for {@link #allocate}. */
    int beginPass() {
        return ++passes;
    }

    /** Hands back the array of {@code t}, unless it is kept or was handed back already. */
    void release(Tensor t) {
        Lease lease = t.lease;
        if (lease == null || !lease.release()) {
            return;
        }
        int length = lease.array.length;
        if (bytes + 4L * length > CAPACITY_BYTES) {
            return; // left to the collector, readable until then
        }
        Shelf shelf = shelves.computeIfAbsent(length, l -> new Shelf(passes));
        shelf.leases.push(lease);
        bytes += 4L * length;
    }

    /** Forgets the lengths no op asked for in the last two passes (a last short batch, a changed model). */
    void forgetUnused() {
        var it = shelves.int2ObjectEntrySet().fastIterator();
        while (it.hasNext()) {
            var entry = it.next();
            Shelf shelf = entry.getValue();
            if (shelf.lastUsed < passes - 2) {
                bytes -= 4L * entry.getIntKey() * shelf.leases.size();
                it.remove();
            }
        }
    }
}
