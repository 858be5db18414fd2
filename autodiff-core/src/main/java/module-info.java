/**
 * Tensors that record the operations done on them, reverse and forward mode, the
 * transforms of {@link dev.autodiff.AD} (grad, vjp, jvp, jacobians, hessian), custom ops
 * and gradient checks, on the scalar reference kernels. {@code autodiff-simd}, when
 * present, replaces those kernels at run time; {@link dev.autodiff.KernelInfo} says which
 * serve.
 */
@SuppressWarnings({
        "module",             // the module of the qualified export is compiled after this one
        "requires-automatic"  // fastutil-core has an Automatic-Module-Name, not a descriptor
})
module dev.autodiff.core {
    requires it.unimi.dsi.fastutil.core;

    exports dev.autodiff;
    // The kernel interface is for the SIMD kernels, not for users.
    exports dev.autodiff.kernel to dev.autodiff.simd;

    uses dev.autodiff.kernel.KernelProvider;
}
