package dev.autodiff.spark;

import dev.autodiff.nn.GELU;
import dev.autodiff.nn.LeakyReLU;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.ReLU;
import dev.autodiff.nn.SiLU;
import dev.autodiff.nn.Sigmoid;
import dev.autodiff.nn.Tanh;

import java.util.Locale;

/** The activations between hidden layers, spelled as the {@code activation} param and the CLI's {@code --activation}. */
enum Activation implements Labeled {
    RELU, TANH, SIGMOID, GELU, SILU, LEAKY_RELU;

    @Override
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A fresh module computing this activation. */
    Module module() {
        return switch (this) {
            case RELU -> new ReLU();
            case TANH -> new Tanh();
            case SIGMOID -> new Sigmoid();
            case GELU -> new GELU();
            case SILU -> new SiLU();
            case LEAKY_RELU -> new LeakyReLU();
        };
    }
}
