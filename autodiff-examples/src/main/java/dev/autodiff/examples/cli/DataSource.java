package dev.autodiff.examples.cli;

import dev.autodiff.examples.data.Digits;
import dev.autodiff.nn.data.CsvFormat;
import dev.autodiff.nn.data.CsvReader;
import dev.autodiff.nn.data.DatasetSplit;
import dev.autodiff.nn.data.FeatureScaler;
import dev.autodiff.nn.data.IdxFolder;
import dev.autodiff.nn.data.TensorDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Resolves the {@code --dataset} option to a train and a test set with flat feature rows:
 * {@code digits} (embedded, seeded 80/20 split), {@code fashion-mnist} and {@code mnist}
 * (IDX folders with their own test split, pixels standardized with the training set's
 * mean and standard deviation), {@code idx:<folder>}, or {@code csv:<file>}
 * (seeded 80/20 split, features standardized with the training statistics).
 */
final class DataSource {
    private DataSource() {}

    /** Where the Debian package {@code dataset-fashion-mnist} installs the data set. */
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** The folder looked in for {@code --dataset mnist}. */
    static final Path MNIST = Path.of("/usr/share/datasets/mnist");

    /** A resolved data set. */
    record Loaded(String name, TensorDataset train, TensorDataset test) {
        /** The length of one feature row. */
        int features() {
            return train.featureShape()[0];
        }

        /** The number of classes, from the largest label of either split. */
        int classes() {
            return Math.max(train.classCount(), test.classCount());
        }
    }

    /** Options that only {@code csv:} uses. */
    record CsvOptions(int labelColumn, boolean header) {}

    /** Loads the data set named by {@code spec}; {@code seed} draws the split of data sets that have none. */
    static Loaded load(String spec, CsvOptions csv, long seed) throws IOException {
        if (spec.equals("digits")) {
            DatasetSplit split = Digits.split(seed);
            return new Loaded("digits", split.train(), split.validation());
        }
        if (spec.equals("fashion-mnist")) {
            return idx("fashion-mnist", FASHION_MNIST, "install it with: apt-get install -y dataset-fashion-mnist");
        }
        if (spec.equals("mnist")) {
            return idx("mnist", MNIST, "put the four MNIST IDX files there, or use --dataset idx:<folder>");
        }
        if (spec.startsWith("idx:")) {
            return idx(spec, Path.of(spec.substring(4)), "it should hold train-images-idx3-ubyte[.gz] and the other three IDX files");
        }
        if (spec.startsWith("csv:")) {
            Path file = Path.of(spec.substring(4));
            if (!Files.isRegularFile(file)) {
                throw new NoSuchFileException(file.toString());
            }
            TensorDataset all = CsvReader.readLabeled(file,
                    CsvFormat.DEFAULT.withLabelColumn(csv.labelColumn()).withHeader(csv.header()));
            DatasetSplit split = DatasetSplit.random(all, 0.2, seed);
            FeatureScaler scaler = FeatureScaler.standardize(split.train());
            return new Loaded(spec, scaler.transform(split.train()), scaler.transform(split.validation()));
        }
        throw new IllegalArgumentException("unknown data set '" + spec
                + "': use digits, fashion-mnist, mnist, idx:<folder> or csv:<file>");
    }

    private static Loaded idx(String name, Path folder, String hint) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "data set folder not found; " + hint);
        }
        TensorDataset train = flat(IdxFolder.train(folder, true));
        FeatureScaler scaler = FeatureScaler.standardizeGlobally(train);
        return new Loaded(name, scaler.transform(train), scaler.transform(flat(IdxFolder.test(folder, true))));
    }

    private static TensorDataset flat(TensorDataset images) {
        return images.withFeatures(images.features().reshape(images.size(), -1));
    }
}
