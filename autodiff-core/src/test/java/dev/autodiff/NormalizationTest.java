package dev.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Functional#layerNorm} and {@link Functional#batchNorm} against PyTorch 1.13's {@code F.layer_norm} and {@code F.batch_norm}. */
class NormalizationTest {

    @Test
    void layerNormMatchesPyTorch() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, new double[] {-1, -1, 1, 1});
        Tensor y = Functional.layerNorm(x, new int[] {4}, Tensor.vector(1, 2, 3, 4), Tensor.vector(0, 0.5f, 0, -1), 1e-5f);
        assertArrayEquals(new float[] {-1.341635419968927f, -0.3944236133126182f, 1.3416354199689267f, 4.3665416798757075f,
            -0.9999950000374997f, -1.4999900000749995f, 2.999985000112499f, 2.999980000149999f}, y.toArray(), 2e-6f);
        assertEquals("layerNorm: input of shape [2, 4] does not end with the normalized shape [2]", assertThrows(
                IllegalArgumentException.class, () -> Functional.layerNorm(x, new int[] {2}, null, null, 1e-5f)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Functional.layerNorm(x, new int[] {4}, Tensor.ones(3), null, 1e-5f));
    }

    @Test
    void batchNormTrainsWithBatchStatisticsAndUpdatesTheRunningOnes() {
        Tensor x = Tensor.of(new double[] {1, 10}, new double[] {2, 20}, new double[] {3, 60});
        Tensor runningMean = Tensor.vector(0.5f, -1f);
        Tensor runningVar = Tensor.vector(2f, 0.5f);
        // F.batch_norm(x, rm, rv, weight=[2, 1], bias=[0, 1], training=True, momentum=0.2, eps=1e-5)
        Tensor y = Functional.batchNorm(x, runningMean, runningVar, Tensor.vector(2, 1), Tensor.vector(0, 1), true, 0.2f, 1e-5f);
        assertArrayEquals(new float[] {-2.4494713718167804f, 0.07417991014694947f, 0f, 0.5370899550734747f,
            2.4494713718167804f, 2.3887301347795757f}, y.toArray(), 2e-6f);
        assertArrayEquals(new float[] {0.8f, 5.2f}, runningMean.toArray(), 1e-6f);
        assertArrayEquals(new float[] {1.8f, 140.4f}, runningVar.toArray(), 1e-4f, "updated with the unbiased variance");
        // then in evaluation with those running statistics, without an affine transform
        Tensor e = Functional.batchNorm(x, runningMean, runningVar, null, null, false, 0.2f, 1e-5f);
        assertArrayEquals(new float[] {0.14907078441504884f, 0.4050957324069807f, 0.8944247064902929f, 1.249045174921524f,
            1.6397786285655371f, 4.624842944979696f}, e.toArray(), 2e-6f);
        assertArrayEquals(new float[] {0.8f, 5.2f}, runningMean.toArray(), 1e-6f, "evaluation leaves them alone");
    }

    @Test
    void batchNormNormalisesEveryAxisButTheChannels() {
        Tensor x = Tensor.randn(new java.util.SplittableRandom(8), 4, 3, 5).mul(2f).add(1f);
        Tensor y = Functional.batchNorm(x, null, null, null, null, true, 0.1f, 0f);
        for (int c = 0; c < 3; c++) {
            Tensor channel = y.slice(1, c, c + 1);
            assertEquals(0f, channel.mean().item(), 1e-5f);
            assertEquals(1f, channel.var(new int[0], 0, false).item(), 1e-4f);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(Tensor.ones(1, 3), null, null, null, null, true, 0.1f, 1e-5f));
        assertThrows(IllegalArgumentException.class,
                () -> Functional.batchNorm(Tensor.ones(2, 3), null, null, null, null, false, 0.1f, 1e-5f));
    }
}
