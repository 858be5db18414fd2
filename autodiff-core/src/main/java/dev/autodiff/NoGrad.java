package dev.autodiff;

/**
 * A scope in which operations on this thread record nothing for reverse mode, for
 * inference and for optimizer updates: {@code try (var scope = NoGrad.enter()) { ... }}.
 * Scopes nest; forward-mode tangents still flow.
 */
public final class NoGrad implements AutoCloseable {
    private final Trace trace;
    private boolean closed;

    private NoGrad(Trace trace) {
        this.trace = trace;
    }

    /** Stops recording on this thread until the returned scope is closed. */
    public static NoGrad enter() {
        Trace trace = Trace.current();
        trace.noGradDepth++;
        return new NoGrad(trace);
    }

    /** Whether operations on this thread are being recorded. */
    public static boolean isRecording() {
        return Trace.current().recording();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            trace.noGradDepth--;
        }
    }
}
