package dev.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * squeeze, unsqueeze, flip and tile, and indexing along any axis (indexSelect, indexAdd,
 * gather, scatterAdd) against PyTorch 1.13's results, with the adjoint pairs checked as
 * adjoints: {@code <select(x), y> = <x, add(y)>}.
 */
class IndexingAndMovementTest {
    /** {@code [[0, 1, 2], [3, 4, 5]]}. */
    private static Tensor m() {
        return Tensor.arange(6).reshape(2, 3);
    }

    @Test
    void squeezeAndUnsqueezeAsPyTorch() {
        Tensor x = Tensor.zeros(2, 1, 3, 1);
        assertArrayEquals(new int[] {2, 3}, x.squeeze().shape());
        assertArrayEquals(new int[] {2, 3, 1}, x.squeeze(1).shape());
        assertArrayEquals(new int[] {2, 1, 3, 1}, x.squeeze(0).shape(), "an axis of another size stays");
        assertArrayEquals(new int[] {2, 3}, x.squeeze(1, -1).shape());
        assertArrayEquals(new int[] {}, Tensor.zeros(1, 1).squeeze().shape());
        assertArrayEquals(new int[] {2, 3, 1}, m().unsqueeze(-1).shape());
        assertArrayEquals(new int[] {1, 2, 3}, m().unsqueeze(0).shape());
        assertArrayEquals(m().toArray(), m().unsqueeze(1).squeeze(1).toArray());
    }

    @Test
    void flipReversesAxes() {
        assertArrayEquals(new float[] {2, 1, 0, 5, 4, 3}, m().flip(1).toArray());
        assertArrayEquals(new float[] {3, 4, 5, 0, 1, 2}, m().flip(0).toArray());
        assertArrayEquals(new float[] {5, 4, 3, 2, 1, 0}, m().flip().toArray());
        assertArrayEquals(new float[] {5, 4, 3, 2, 1, 0}, m().flip(0, -1).toArray());
        Tensor x = m().requiresGrad();
        x.flip(1).mul(Tensor.vector(1, 10, 100)).sum().backward();
        assertArrayEquals(new float[] {100, 10, 1, 100, 10, 1}, x.grad().toArray());
    }

    @Test
    void tileAsPyTorch() {
        // torch.tile(arange(6).reshape(2, 3), (2,)) repeats the last axis
        assertArrayEquals(new float[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, m().tile(2).toArray());
        assertArrayEquals(new int[] {2, 6}, m().tile(2).shape());
        assertArrayEquals(new int[] {4, 3}, m().tile(2, 1).shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5}, m().tile(2, 1).toArray());
        // torch.tile(tensor([1, 2]), (2, 1, 2)).shape = [2, 1, 4]
        Tensor t = Tensor.vector(1, 2).tile(2, 1, 2);
        assertArrayEquals(new int[] {2, 1, 4}, t.shape());
        assertArrayEquals(new float[] {1, 2, 1, 2, 1, 2, 1, 2}, t.toArray());
        // the gradient of a repeated element is the sum over its copies
        Tensor x = Tensor.vector(1, 2).requiresGrad();
        x.tile(3).mul(Tensor.arange(6)).sum().backward();
        assertArrayEquals(new float[] {0 + 2 + 4, 1 + 3 + 5}, x.grad().toArray());
    }

    @Test
    void indexSelectAndIndexAddAlongAnyAxis() {
        assertArrayEquals(new float[] {2, 0, 2, 5, 3, 5}, m().indexSelect(1, new int[] {2, 0, 2}).toArray());
        assertArrayEquals(new int[] {2, 3}, m().indexSelect(1, new int[] {2, 0, 2}).shape());
        assertArrayEquals(new float[] {3, 4, 5}, m().indexSelect(0, new int[] {1}).toArray());
        // torch.zeros(2, 4).index_add(1, tensor([0, 3, 0]), [[1, 2, 3], [4, 5, 6]])
        Tensor added = Tensor.zeros(2, 4).indexAdd(1, new int[] {0, 3, 0}, Tensor.of(new double[] {1, 2, 3},
                new double[] {4, 5, 6}));
        assertArrayEquals(new float[] {4, 0, 0, 2, 10, 0, 0, 5}, added.toArray());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, Tensor.ones(2, 3).indexAdd(0, new int[0], Tensor.zeros(0, 3)).toArray());
        // adjoints: <indexSelect(x), y> = <x, indexAdd(0, y)>
        Inputs in = new Inputs(3);
        Tensor x = in.normal(3, 4);
        Tensor y = in.normal(3, 5);
        int[] idx = {3, 0, 3, 1, 2};
        float left = x.indexSelect(1, idx).mul(y).sum().item();
        float right = x.mul(Tensor.zeros(3, 4).indexAdd(1, idx, y)).sum().item();
        assertEquals(left, right, 1e-5f);
    }

    @Test
    void gatherAndScatterAddAsPyTorch() {
        Tensor src = Tensor.of(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        // torch.gather(src, 1, [[2, 0], [1, 1]])
        assertArrayEquals(new float[] {3, 1, 5, 5}, src.gather(1, Tensor.of(new double[] {2, 0}, new double[] {1, 1})).toArray());
        // torch.zeros(3, 3).scatter_add(0, [[0, 1, 2], [0, 0, 1]], src)
        Tensor index = Tensor.of(new double[] {0, 1, 2}, new double[] {0, 0, 1});
        assertArrayEquals(new float[] {5, 5, 0, 0, 2, 6, 0, 0, 3}, Tensor.zeros(3, 3).scatterAdd(0, index, src).toArray());
        // adjoints along a middle axis with an index smaller than the tensor
        Inputs in = new Inputs(4);
        Tensor x = in.normal(2, 4, 3);
        Tensor picks = Tensor.of(new float[] {3, 0, 2, 1, 1, 3, 0, 0, 2, 3, 3, 1}, 2, 3, 2);
        Tensor y = in.normal(2, 3, 2);
        float left = x.gather(1, picks).mul(y).sum().item();
        float right = x.mul(Tensor.zeros(2, 4, 3).scatterAdd(1, picks, y)).sum().item();
        assertEquals(left, right, 1e-5f);
        // the gradient of gather scatters, repeated positions accumulating
        Tensor v = Tensor.vector(1, 2, 3).requiresGrad();
        v.gather(0, Tensor.vector(2, 2, 0)).sum().backward();
        assertArrayEquals(new float[] {1, 0, 2}, v.grad().toArray());
    }

    @Test
    void indexTensorsConvertToInts() {
        assertArrayEquals(new int[] {2, 0, -1}, Tensor.vector(2, 0, -1).toIntArray());
        assertEquals("toIntArray: value 1.5 at flat position 1 of a tensor of shape [2] is not a whole number in int range",
                assertThrows(IllegalArgumentException.class, () -> Tensor.vector(0, 1.5f).toIntArray()).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.vector(Float.NaN).toIntArray());
    }
}
