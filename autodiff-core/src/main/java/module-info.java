/**
 * Tensors that record the operations done on them, reverse and forward mode, the
 * transforms of {@link dev.autodiff.AD} (grad, vjp, jvp, jacobians, hessian), custom ops
 * and gradient checks, on the scalar reference kernels. {@code autodiff-simd}, when
 * present, replaces those kernels at run time; {@link dev.autodiff.KernelInfo} says which
 * serve.
 */
@SuppressWarnings({
        "module",             // the friends of the qualified export are compiled after this module
        "requires-automatic"  // fastutil-core has an Automatic-Module-Name, not a descriptor
})
module dev.autodiff.core {
    requires it.unimi.dsi.fastutil.core;

    exports dev.autodiff;
    // The kernel interface is for the SIMD kernels, not for users. autodiff-nn still calls
    // kernels for its optimizers and batch norm; that export goes when it stops.
    exports dev.autodiff.kernel to dev.autodiff.simd, dev.autodiff.nn;

    uses dev.autodiff.kernel.KernelProvider;
}
