package dev.autodiff.nn;

import dev.autodiff.Tensor;
import dev.autodiff.nn.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Custom modules as a PyTorch user writes them: state in fields, nothing registered by
 * hand, several inputs. What the fields hold is trained, saved and switched by eval().
 */
class CustomModuleTest {

    /** A layer that forgot to register both its parameter and its submodule. */
    static final class ScaledMlp extends Module {
        private final Linear hidden;
        private final Dropout dropout;
        private final Tensor scale;
        private final Tensor offset = Tensor.vector(1f, 2f); // a constant: requires no gradient
        private transient Linear notOwned;

        ScaledMlp(SplittableRandom rng) {
            hidden = new Linear(3, 2, rng);
            dropout = new Dropout(0.5f, rng);
            scale = Tensor.vector(2f, -1f).requiresGrad();
            notOwned = new Linear(1, 1, rng);
        }

        @Override
        public Tensor forward(Tensor x) {
            return dropout.forward(hidden.forward(x)).mul(scale).add(offset);
        }
    }

    /** Explicit registration first, then the fields, superclass fields before subclass ones. */
    static class Base extends Module {
        final Tensor a = Tensor.ones(1).requiresGrad();
        final Tensor explicit;

        Base() {
            explicit = registerParameter("first", Tensor.zeros(1));
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(a).add(explicit);
        }
    }

    static final class Derived extends Base {
        final Linear z = new Linear(1, 1, new SplittableRandom(1));
        final Tensor b = Tensor.ones(1).requiresGrad();
    }

    @Test
    void aForgottenParameterAndAForgottenSubmoduleAreTrainedSavedAndSwitched() {
        ScaledMlp m = new ScaledMlp(new SplittableRandom(4));
        // A module's own parameters come before its submodules', as in PyTorch.
        assertEquals(List.of("scale", "hidden.weight", "hidden.bias"), List.copyOf(m.namedParameters().keySet()));
        assertEquals(List.of("hidden", "dropout"), List.copyOf(m.namedChildren().keySet()));
        assertEquals(List.of("scale", "hidden.weight", "hidden.bias"), List.copyOf(m.stateDict().keySet()));

        SGD sgd = new SGD(m.parameters(), 0.1);
        m.eval();
        assertFalse(m.dropout.isTraining(), "eval() reaches the discovered submodule");
        Tensor x = Tensor.vector(1f, 2f, 3f).reshape(1, 3);
        float[] scaleBefore = m.scale.toArray();
        float[] weightBefore = m.hidden.weight().toArray();
        m.forward(x).sum().backward();
        sgd.step();
        assertNotEquals(scaleBefore[0], m.scale.get(0), "the discovered parameter is trained");
        assertNotEquals(weightBefore[0], m.hidden.weight().get(0, 0), "the discovered submodule is trained");

        ScaledMlp copy = new ScaledMlp(new SplittableRandom(99));
        copy.loadStateDict(m.stateDict(), true);
        copy.eval();
        assertArrayEquals(m.forward(x).toArray(), copy.forward(x).toArray());
    }

    @Test
    void handRegisteredStateComesFirstThenFieldsFromTheSuperclassDown() {
        Derived d = new Derived();
        assertEquals(List.of("first", "a", "b", "z.weight", "z.bias"), List.copyOf(d.namedParameters().keySet()));
        assertEquals(List.of("z"), List.copyOf(d.namedChildren().keySet()));
    }

    @Test
    void fieldsRegisteredByHandUnderTheirNameAreNotRegisteredTwice() {
        Linear l = new Linear(2, 3, new SplittableRandom(1));
        assertEquals(List.of("weight", "bias"), List.copyOf(l.namedParameters().keySet()));
        BatchNorm1d bn = new BatchNorm1d(2);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()), "fields that hold registered buffers stay buffers");
    }

    static final class Tied extends Module {
        final Linear encoder = new Linear(3, 3, new SplittableRandom(2));
        final Tensor alias = encoder.weight(); // the same parameter, seen through a second field

        @Override
        public Tensor forward(Tensor x) {
            return encoder.forward(x).matmul(alias);
        }
    }

    @Test
    void aFieldThatAliasesStateAlreadyInTheTreeAddsNoName() {
        assertEquals(List.of("encoder.weight", "encoder.bias"), List.copyOf(new Tied().namedParameters().keySet()));
    }

    static final class ComputedParameter extends Module {
        final Tensor w = Tensor.ones(2).requiresGrad().mul(0.1f);

        @Override
        public Tensor forward(Tensor x) {
            return x.mul(w);
        }
    }

    static final class ListOfLayers extends Module {
        final List<Linear> layers = new ArrayList<>(List.of(new Linear(2, 2, new SplittableRandom(1))));

        @Override
        public Tensor forward(Tensor x) {
            return layers.getFirst().forward(x);
        }
    }

    static final class SequentialOfLayers extends Module {
        final Sequential layers = new Sequential(new Linear(2, 2, new SplittableRandom(1)), new ReLU());
        final List<String> notes = List.of("a list of no modules is fine");

        @Override
        public Tensor forward(Tensor x) {
            return layers.forward(x);
        }
    }

    @Test
    void whatCannotBeDiscoveredFailsWithTheFieldsName() {
        var computed = assertThrows(IllegalStateException.class, () -> new ComputedParameter().parameters());
        assertTrue(computed.getMessage().contains("field 'w'") && computed.getMessage().contains("'mul'"),
                computed.getMessage());
        var list = assertThrows(IllegalStateException.class, () -> new ListOfLayers().parameters());
        assertTrue(list.getMessage().contains("field 'layers' holds 1 modules or parameters that are not registered")
                && list.getMessage().contains("Sequential"), list.getMessage());
        assertEquals(List.of("layers.0.weight", "layers.0.bias"),
                List.copyOf(new SequentialOfLayers().namedParameters().keySet()));
    }

    static final class Parent extends Module {
        final Child child = new Child();

        Parent() {
            child.parent = this;
        }

        @Override
        public Tensor forward(Tensor x) {
            return child.forward(x);
        }
    }

    static final class Child extends Module {
        Parent parent;

        @Override
        public Tensor forward(Tensor x) {
            return x;
        }
    }

    @Test
    void aBackReferenceToAnEnclosingModuleIsACycleAndSaysSo() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Parent().parameters());
        assertTrue(e.getMessage().contains("'parent'") && e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void trainAndEvalReturnTheReceiversType() {
        ScaledMlp m = new ScaledMlp(new SplittableRandom(1)).eval();
        assertFalse(m.isTraining());
        Sequential s = new Sequential(new Linear(2, 2, new SplittableRandom(1))).eval();
        assertFalse(s.get(0).isTraining());
        Sequential same = s.train();
        assertSame(s, same);
        assertTrue(s.<Sequential>eval().get(0).isTraining() == false, "a chained call names the type");
        assertThrows(ClassCastException.class, () -> {
            Linear wrong = s.eval(); // assigned to a type it is not: fails at once
            wrong.weight();
        });
    }

    /** {@code x1ᵀ W x2} for each row: a module of two inputs. */
    static final class Bilinear extends MultiInputModule {
        final Tensor weight = Tensor.of(new float[] {1, 0, 2, 0, 1, -1}, 2, 3).requiresGrad();

        Bilinear() {
            super(2);
        }

        @Override
        protected Tensor compute(Tensor... in) {
            return in[0].matmul(weight).mul(in[1]).sum(new int[] {1}, true);
        }
    }

    @Test
    void aModuleOfSeveralInputsComputesChainsAndChecksItsInputCount() {
        Tensor x1 = Tensor.matrix(new float[][] {{1, 2}});
        Tensor x2 = Tensor.matrix(new float[][] {{3, 4, 5}});
        Bilinear b = new Bilinear();
        // x1·W = [1, 2, 0]; · x2 = 3 + 8 + 0 = 11
        assertArrayEquals(new float[] {11f}, b.forward(x1, x2).toArray());
        assertEquals(List.of("weight"), List.copyOf(b.namedParameters().keySet()));

        Sequential s = new Sequential(b, new Linear(1, 1, false, new SplittableRandom(3)));
        s.namedParameters().get("1.weight").copyFrom(Tensor.full(2f, 1, 1));
        assertArrayEquals(new float[] {22f}, s.forward(x1, x2).toArray());

        var one = assertThrows(IllegalArgumentException.class, () -> b.forward(x1));
        assertEquals("Bilinear.forward: takes 2 inputs, got 1", one.getMessage());
        var three = assertThrows(IllegalArgumentException.class, () -> new ReLU().forward(x1, x2, x2));
        assertTrue(three.getMessage().startsWith("ReLU.forward: takes 1 input, got 3"), three.getMessage());
    }
}
