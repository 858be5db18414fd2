package dev.autodiff;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The tenure of one recycled array ({@link Arena}) in the tensors that use it: a tensor and
 * its views share one lease. A lease is live while its graph may still need it; a backward
 * pass that frees the graph releases it, and the arena may then hand the array to a new
 * lease, which recycles this one. Until that happens the values are intact, and a read keeps
 * them for good (the lease leaves the arena's reach); after it, reading or writing any
 * tensor on this lease fails, so that a recycled array is never read as the old tensor's
 * values. The state changes by compare-and-set, so a reader on another thread and the arena
 * never both win the array.
 */
final class Lease {
    private static final int LIVE = 0;
    private static final int RELEASED = 1;
    private static final int KEPT = 2;
    private static final int RECYCLED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Lease.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final float[] array;
    /** The backward pass that made the array for a cotangent, or 0 for an op's output. */
    final int pass;
    /** The recorded op whose output the array holds, for messages; null for a cotangent. */
    String op;
    private volatile int state;

    Lease(float[] array, int pass) {
        this.array = array;
        this.pass = pass;
    }

    /**
     * Called before every read or write of {@code t}, a tensor on this lease: a released
     * array is kept, a recycled one fails.
     */
    void access(Tensor t) {
        int s = state;
        if (s == LIVE || s == KEPT || (s == RELEASED && (STATE.compareAndSet(this, RELEASED, KEPT) || state == KEPT))) {
            return;
        }
        throw recycled(t);
    }

    /** Fails when the array went to another lease, without keeping a released one (for views, whose reads check). */
    void checkNotRecycled(Tensor t) {
        if (state == RECYCLED) {
            throw recycled(t);
        }
    }

    /** Keeps the array out of the arena for good: its tensor escapes where a read cannot be checked. */
    void keep(Tensor t) {
        if (!STATE.compareAndSet(this, LIVE, KEPT)) {
            access(t);
        }
    }

    /** Whether the array went to another lease: the values of this one's tensors are gone. */
    boolean recycled() {
        return state == RECYCLED;
    }

    /** Hands a live array back; false when it was kept or released before. */
    boolean release() {
        return STATE.compareAndSet(this, LIVE, RELEASED);
    }

    /** Takes a released array for a new lease; false when a reader kept it meanwhile. */
    boolean recycle() {
        return STATE.compareAndSet(this, RELEASED, RECYCLED);
    }

    private IllegalStateException recycled(Tensor t) {
        String made = op == null ? "a backward pass" : "'" + op + "'";
        return new IllegalStateException("tensor of shape " + Shapes.str(t.shape) + ", computed by " + made
                + " in a graph that backward() has freed, was not read before a later operation reused its memory, "
                + "so its values are gone. Read it (item(), toArray(), any op) after backward() and before the next "
                + "recorded forward pass, keep it with detach() before that, or compute it under NoGrad");
    }
}
