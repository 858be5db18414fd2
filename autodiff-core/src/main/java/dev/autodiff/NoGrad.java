package dev.autodiff;

/**
 * A scope in which operations on this thread record nothing for reverse mode, for
 * inference and for optimizer updates: {@code try (var scope = NoGrad.enter()) { ... }}.
 * Scopes nest; forward-mode tangents still flow.
 */
public final class NoGrad implements AutoCloseable {
    private final Trace.Scope scope;

    private NoGrad(Trace.Scope scope) {
        this.scope = scope;
    }

    /** Stops recording on this thread until the returned scope is closed. */
    public static NoGrad enter() {
        return new NoGrad(Trace.noGrad());
    }

    /** Whether operations on this thread are being recorded. */
    public static boolean isRecording() {
        return Trace.current().recording();
    }

    /** Restores the recording state found by {@link #enter()}; closing twice does nothing more. */
    @Override
    public void close() {
        scope.close();
    }
}
