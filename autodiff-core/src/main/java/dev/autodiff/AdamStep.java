package dev.autodiff;

/**
 * The scalars of one Adam step taken in one pass ({@link Tensor#adamStepInPlace}). For each
 * element, in this order: {@code grad = grad + weightDecay·param} (not when the decay is 0),
 * {@code param = shrink·param}, {@code expAvg = beta1·expAvg + gradScale1·grad},
 * {@code expAvgSq = beta2·expAvgSq + gradScale2·grad²}, then
 * {@code param = param + rate·expAvg / (√expAvgSq + eps)}, each rounded as the separate
 * in-place updates round it ({@link Tensor#addInPlace(Tensor, float)} on a copy of the gradient,
 * {@link Tensor#mulInPlace}, {@link Tensor#mulAddInPlace}, {@link Tensor#mulAddSquareInPlace},
 * {@link Tensor#addRatioInPlace}). The gradient itself is not written.
 *
 * @param weightDecay the L2 weight decay added to the gradient (Adam's), 0 for none
 * @param shrink multiplies the parameter first: 1 but for decoupled weight decay (AdamW)
 * @param beta1 the first moment's decay
 * @param gradScale1 the gradient's weight in the first moment
 * @param beta2 the second moment's decay
 * @param gradScale2 the squared gradient's weight in the second moment
 * @param rate the step's factor, negative to descend
 * @param eps added to the second moment's root
 */
public record AdamStep(float weightDecay, float shrink, float beta1, float gradScale1, float beta2, float gradScale2,
                       float rate, float eps) {}
