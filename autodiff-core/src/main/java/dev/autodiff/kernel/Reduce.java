package dev.autodiff.kernel;

/** The reductions of {@link Kernels#reduce}. */
public enum Reduce {
    SUM, MAX
}
