package dev.autodiff.nn.optim;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizer state dicts, in-place state buffers and skipped parameters. */
class OptimizerStateTest {

    static Tensor[] stepped(Optimizer opt, Tensor[] p, int steps) {
        for (int i = 0; i < steps; i++) {
            opt.zeroGrad();
            OptimizerReferenceTest.backward(p[0], p[1]);
            opt.step();
        }
        return p;
    }

    @Test
    void stateBuffersAreAllocatedOnceAndUpdatedInPlace() {
        Tensor[] p = OptimizerReferenceTest.problem();
        RMSprop opt = new RMSprop(List.of(p), 0.01).centered(true).momentum(0.5).weightDecay(0.1);
        stepped(opt, p, 1);
        Tensor squareAvg = opt.state("square_avg", 0, 0f);
        int version = squareAvg.version();
        Tensor denominator = opt.scratch("denominator", 0);
        float[] before = squareAvg.toArray();
        stepped(opt, p, 2);
        assertSame(squareAvg, opt.state("square_avg", 0, 0f));
        assertTrue(squareAvg.version() > version, "updated in place");
        assertSame(denominator, opt.scratch("denominator", 0));
        assertTrue(before[0] != squareAvg.get(0, 0));
    }

    @Test
    void stateDictRestoresAnIdenticalContinuation() {
        Tensor[] a = OptimizerReferenceTest.problem();
        Adam optA = new Adam(List.of(a), 0.05).amsgrad(true).weightDecay(0.01);
        stepped(optA, a, 3);
        OptimizerState saved = optA.stateDict();
        assertArrayEquals(new long[] {3, 3}, saved.steps());
        assertEquals(Map.of("lr", 0.05, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weight_decay", 0.01, "amsgrad", 1.0),
                saved.hyperParameters());
        assertEquals(List.of("0.exp_avg", "0.exp_avg_sq", "0.max_exp_avg_sq", "1.exp_avg", "1.exp_avg_sq",
                "1.max_exp_avg_sq"), List.copyOf(saved.buffers().keySet()));

        Tensor[] b = {Tensor.of(a[0].toArray(), 3, 4).requiresGrad(), Tensor.of(a[1].toArray(), 3).requiresGrad()};
        Adam optB = new Adam(List.of(b), 1.0);
        optB.loadStateDict(OptimizerState.from(saved.tensors(), saved.metadata()));
        stepped(optA, a, 2);
        stepped(optB, b, 2);
        assertArrayEquals(a[0].toArray(), b[0].toArray());
        assertArrayEquals(a[1].toArray(), b[1].toArray());
    }

    @Test
    void loadStateDictRejectsAnotherOptimizerOrShape() {
        Tensor[] p = OptimizerReferenceTest.problem();
        SGD momentum = new SGD(List.of(p), 0.1).momentum(0.9);
        stepped(momentum, p, 1);
        OptimizerState state = momentum.stateDict();
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), 0.1).loadStateDict(state));
        Tensor other = Tensor.zeros(5).requiresGrad();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(p[0], other), 0.1).loadStateDict(state));
        assertTrue(e.getMessage().contains("1.momentum_buffer"), e.getMessage());
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor used = Tensor.vector(1f, 2f).requiresGrad();
        Tensor unused = Tensor.vector(5f).requiresGrad();
        Adam opt = new Adam(List.of(used, unused), 0.1);
        used.square().sum().backward();
        opt.step();
        assertArrayEquals(new float[] {5f}, unused.toArray());
        assertArrayEquals(new long[] {1, 0}, opt.stateDict().steps());
        // Adam's first step moves each element by lr·sign(g) (up to eps).
        assertArrayEquals(new float[] {0.9f, 1.9f}, used.toArray(), 1e-6f);
    }

    @Test
    void sgdRejectsNesterovWithoutMomentum() {
        Tensor p = Tensor.vector(1f).requiresGrad();
        SGD opt = new SGD(List.of(p), 0.1).nesterov(true);
        assertThrows(IllegalStateException.class, opt::step);
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p), -1));
        assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(p.mul(2f)), 0.1));
    }

    @Test
    void clipGradNormScalesEachGradientOnce() {
        Tensor a = Tensor.vector(1f, 1f).requiresGrad();
        Tensor b = Tensor.vector(2f, 2f).requiresGrad();
        a.add(b).mul(Tensor.vector(3f, 4f)).sum().backward();
        // Both gradients are [3, 4], each in its own array; total norm √50.
        double total = GradClip.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(Math.sqrt(50), total, 1e-6);
        double scale = 1.0 / (Math.sqrt(50) + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * scale), (float) (4 * scale)}, a.grad().toArray(), 1e-6f);
        assertArrayEquals(new float[] {(float) (3 * scale), (float) (4 * scale)}, b.grad().toArray(), 1e-6f);
        float[] clipped = a.grad().toArray();
        assertEquals(1, GradClip.clipGradNorm(List.of(a, b), 100), 1e-6, "the clipped gradients have norm maxNorm");
        assertArrayEquals(clipped, a.grad().toArray(), "below maxNorm nothing changes");
    }
}
