package dev.autodiff.examples.data;

import dev.autodiff.Tensor;
import dev.autodiff.nn.data.DatasetSplit;
import dev.autodiff.nn.data.TensorDataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The embedded default data set: 1,797 handwritten digits of 8x8 pixels (values 0..16)
 * in 10 classes, from the UCI "Optical Recognition of Handwritten Digits" data set by
 * E. Alpaydin and C. Kaynak (1998), CC BY 4.0. Stored in {@link DigitsFormat}.
 */
public final class Digits {
    private Digits() {}

    /** The resource that holds the data set. */
    public static final String RESOURCE = "digits.bin.gz";

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

    /** All samples as a dataset: features {@code [1797, 64]} divided by 16, labels 0..9. */
    public static TensorDataset dataset() {
        TensorDataset raw = rawDataset();
        return raw.withFeatures(raw.features().div((float) DigitsFormat.MAX_PIXEL));
    }

    /** All samples with the pixel values as stored (0..16): features {@code [1797, 64]}, labels 0..9. */
    public static TensorDataset rawDataset() {
        DigitsFormat.Images images = images();
        float[] x = new float[images.pixels().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = images.pixels()[i];
        }
        return TensorDataset.withLabels(Tensor.of(x, images.count(), images.pixelsPerImage()), images.labels());
    }

    /** The seeded 80/20 split every example and the trainer use: 1,438 samples to train on, 359 to test. */
    public static DatasetSplit split(long seed) {
        return DatasetSplit.random(dataset(), 0.2, seed);
    }
}
