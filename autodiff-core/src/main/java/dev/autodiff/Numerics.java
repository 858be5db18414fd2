package dev.autodiff;

/**
 * The opt-in check for non-finite values: when on, the first operation whose output
 * holds a NaN or an infinity throws an {@link ArithmeticException} that names it (and,
 * in a backward pass, the rule it ran for). Off by default because it reads every output.
 */
public final class Numerics {
    private Numerics() {}

    /** Turns the check on or off for all threads. */
    public static void checkFinite(boolean on) {
        Trace.setCheckNumerics(on);
    }

    /** Whether the check is on. */
    public static boolean isCheckingFinite() {
        return Trace.checkNumerics();
    }
}
