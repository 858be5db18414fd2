package dev.autodiff.nn;

import dev.autodiff.Functional;
import dev.autodiff.Tensor;

/**
 * Normalises over the last dimensions of the input, as {@code torch.nn.LayerNorm}:
 * {@code (x - mean) / √(var + eps) · weight + bias}, with the biased variance, weight
 * initialised to ones and bias to zeros (both of the normalised shape). The computation is
 * {@link Functional#layerNorm}.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final float eps;
    private final Tensor weight;
    private final Tensor bias;

    /** Normalises over trailing dimensions of the given shape, with eps 1e-5 and an affine transform. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5f, true);
    }

    /** Normalises over trailing dimensions of the given shape, with or without the affine transform. */
    public LayerNorm(int[] normalizedShape, float eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: the normalized shape is empty");
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? registerParameter("weight", Tensor.ones(normalizedShape)) : null;
        this.bias = elementwiseAffine ? registerParameter("bias", Tensor.zeros(normalizedShape)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return PyRepr.tuple(normalizedShape) + ", eps=" + PyRepr.number(eps) + ", elementwise_affine="
                + PyRepr.bool(weight != null);
    }
}
