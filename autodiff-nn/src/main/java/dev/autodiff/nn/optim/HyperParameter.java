package dev.autodiff.nn.optim;

/**
 * One hyper-parameter of an optimizer as its {@link OptimizerSpec} declares it: its name
 * (PyTorch's, as in a state dict), its default and the values it takes. A flag such as
 * {@code nesterov} is 0 (off) or 1 (on).
 */
public record HyperParameter(String name, double defaultValue, Domain domain) {

    /** The values a hyper-parameter takes. */
    public enum Domain {
        /** Any number. */
        REAL("a number"),
        /** 0 or more. */
        NON_NEGATIVE("0 or more"),
        /** From 0 up to but excluding 1, as a decay rate. */
        FRACTION("in [0, 1)"),
        /** 0 or 1. */
        FLAG("0 or 1");

        private final String description;

        Domain(String description) {
            this.description = description;
        }

        /** Whether {@code value} lies in this domain. */
        public boolean contains(double value) {
            return switch (this) {
                case REAL -> !Double.isNaN(value);
                case NON_NEGATIVE -> value >= 0;
                case FRACTION -> value >= 0 && value < 1;
                case FLAG -> value == 0 || value == 1;
            };
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Checks that the default lies in the domain. */
    public HyperParameter {
        if (!domain.contains(defaultValue)) {
            throw new IllegalArgumentException("hyper-parameter " + name + ": default " + defaultValue
                    + " is not " + domain);
        }
    }

    /** A hyper-parameter that takes any number. */
    public static HyperParameter real(String name, double defaultValue) {
        return new HyperParameter(name, defaultValue, Domain.REAL);
    }

    /** A hyper-parameter that takes 0 or more. */
    public static HyperParameter nonNegative(String name, double defaultValue) {
        return new HyperParameter(name, defaultValue, Domain.NON_NEGATIVE);
    }

    /** A decay rate, in {@code [0, 1)}. */
    public static HyperParameter fraction(String name, double defaultValue) {
        return new HyperParameter(name, defaultValue, Domain.FRACTION);
    }

    /** A switch, off by default. */
    public static HyperParameter flag(String name) {
        return new HyperParameter(name, 0, Domain.FLAG);
    }

    /** The same hyper-parameter with another default. */
    public HyperParameter withDefault(double value) {
        return new HyperParameter(name, value, domain);
    }
}
