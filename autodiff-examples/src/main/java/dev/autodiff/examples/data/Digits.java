package dev.autodiff.examples.data;

import dev.autodiff.Tensor;
import it.unimi.dsi.fastutil.ints.IntArrays;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * The embedded default data set: 1,797 handwritten digits of 8x8 pixels (values 0..16)
 * in 10 classes, from the UCI "Optical Recognition of Handwritten Digits" data set by
 * E. Alpaydin and C. Kaynak (1998), CC BY 4.0. Stored in {@link DigitsFormat}.
 */
public final class Digits {
    private Digits() {}

    /** The resource that holds the data set. */
    public static final String RESOURCE = "digits.bin.gz";

    /** A feature matrix {@code [N, 64]} scaled to 0..1 and its labels. */
    public record Split(Tensor features, int[] labels) {
        /** The number of samples. */
        public int size() {
            return labels.length;
        }
    }

    /** A seeded train/test split. */
    public record TrainTest(Split train, Split test) {}

    /** All samples, in file order. */
    public static DigitsFormat.Images images() {
        try (InputStream in = Digits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the digits resource " + RESOURCE + " is missing from the class path");
            }
            return DigitsFormat.read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Shuffles the samples with {@code seed} and puts the first {@code testFraction} of them
     * in the test split; pixels are divided by 16.
     */
    public static TrainTest split(long seed, double testFraction) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("Digits.split: test fraction " + testFraction + " is not in (0, 1)");
        }
        DigitsFormat.Images images = images();
        int[] order = new int[images.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        IntArrays.shuffle(order, new Random(seed));
        int testSize = (int) Math.round(order.length * testFraction);
        return new TrainTest(select(images, order, testSize, order.length), select(images, order, 0, testSize));
    }

    private static Split select(DigitsFormat.Images images, int[] order, int from, int to) {
        int perImage = images.pixelsPerImage();
        float[] x = new float[(to - from) * perImage];
        int[] y = new int[to - from];
        for (int r = from; r < to; r++) {
            int sample = order[r];
            for (int p = 0; p < perImage; p++) {
                x[(r - from) * perImage + p] = images.pixels()[sample * perImage + p] / (float) DigitsFormat.MAX_PIXEL;
            }
            y[r - from] = images.labels()[sample];
        }
        return new Split(Tensor.of(x, to - from, perImage), y);
    }
}
