package dev.autodiff.nn;

import dev.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activations by name: their labels, their modules, and reading a label back. */
class ActivationTest {

    @Test
    void labelsArePyTorchsFunctionalNamesInOrder() {
        assertEquals(List.of("relu", "tanh", "sigmoid", "gelu", "silu", "leaky_relu"), Labeled.labels(Activation.class));
    }

    @Test
    void eachModuleComputesItsFunction() {
        Tensor x = Tensor.vector(-2f, 0f, 1f);
        double phi1 = 0.8413447460685429; // Φ(1)
        double sigmoid1 = 1 / (1 + Math.exp(-1));
        double[][] expected = {
            {0, 0, 1},
            {Math.tanh(-2), 0, Math.tanh(1)},
            {1 / (1 + Math.exp(2)), 0.5, sigmoid1},
            {-2 * (1 - 0.9772498680518208), 0, phi1},  // x·Φ(x), Φ(-2) = 1 - Φ(2)
            {-2 / (1 + Math.exp(2)), 0, sigmoid1},     // x·σ(x)
            {-0.02, 0, 1},                             // slope 0.01
        };
        Activation[] all = Activation.values();
        assertEquals(expected.length, all.length);
        for (int a = 0; a < all.length; a++) {
            float[] y = all[a].module().forward(x).toArray();
            for (int i = 0; i < y.length; i++) {
                assertEquals(expected[a][i], y[i], 1e-6, all[a] + " at " + x.toArray()[i]);
            }
        }
    }

    @Test
    void moduleIsANewParameterFreeModuleOfTheLayerClass() {
        assertInstanceOf(ReLU.class, Activation.RELU.module());
        assertInstanceOf(Tanh.class, Activation.TANH.module());
        assertInstanceOf(Sigmoid.class, Activation.SIGMOID.module());
        assertInstanceOf(GELU.class, Activation.GELU.module());
        assertInstanceOf(SiLU.class, Activation.SILU.module());
        assertEquals("LeakyReLU(negative_slope=0.01)", Activation.LEAKY_RELU.module().toString());
        for (Activation a : Activation.values()) {
            assertNotSame(a.module(), a.module(), a.label());
            assertTrue(a.module().parameters().isEmpty(), a.label());
        }
    }

    @Test
    void fromLabelReadsExactlyTheLabel() {
        for (Activation a : Activation.values()) {
            assertSame(a, Activation.fromLabel(a.label()));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> Activation.fromLabel("swish"));
        assertEquals("unknown activation 'swish'; expected one of relu, tanh, sigmoid, gelu, silu, leaky_relu",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Activation.fromLabel("RELU"), "labels are case-sensitive");
        assertThrows(IllegalArgumentException.class, () -> Activation.fromLabel("LEAKY_RELU"), "not the constant's name");
    }

    @Test
    void parseNamesWhatItReadsInTheMessage() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Labeled.parse(Activation.class, "hidden activation", "elu"));
        assertEquals("unknown hidden activation 'elu'; expected one of relu, tanh, sigmoid, gelu, silu, leaky_relu",
                e.getMessage());
        assertSame(Activation.GELU, Labeled.parse(Activation.class, "hidden activation", "gelu"));
    }
}
