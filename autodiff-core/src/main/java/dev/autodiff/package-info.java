/**
 * The engine: {@link dev.autodiff.Tensor}, a dense float32 array that records the
 * operations done on it when a gradient is wanted, and {@code backward()} that fills
 * {@link dev.autodiff.Tensor#grad()}; the transforms of {@link dev.autodiff.AD} (as in JAX:
 * {@code grad}, {@code vjp}, {@code jvp}, {@code jacfwd}, {@code jacrev}, {@code hessian});
 * {@link dev.autodiff.CustomOp} for an operation with its own derivative rules and
 * {@link dev.autodiff.GradCheck} to verify them; {@link dev.autodiff.NoGrad} scopes; and
 * {@link dev.autodiff.KernelInfo}, which says whether the SIMD kernels serve.
 *
 * <pre>{@code
 * Tensor w = Tensor.vector(1f, -2f, 0.5f).requiresGrad();
 * Tensor loss = w.mul(Tensor.vector(3f, 1f, 2f)).sum().square();
 * loss.backward();
 * Tensor dw = w.grad();                                        // [12, 4, 8]
 * Tensor g = AD.grad(t -> t.tanh().sum()).apply(Tensor.scalar(2f));
 * }</pre>
 */
package dev.autodiff;
