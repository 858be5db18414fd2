package dev.autodiff.examples.cli;

import dev.autodiff.examples.data.Digits;
import dev.autodiff.nn.data.ByteFeatureDataset;
import dev.autodiff.nn.data.ClassLabels;
import dev.autodiff.nn.data.CsvFormat;
import dev.autodiff.nn.data.CsvReader;
import dev.autodiff.nn.data.Dataset;
import dev.autodiff.nn.data.DatasetSplit;
import dev.autodiff.nn.data.IdxFolder;
import dev.autodiff.nn.data.Preprocessing;
import dev.autodiff.nn.data.TensorDataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * Resolves the {@code --dataset} option to a train and a test set of flat feature rows and
 * the {@link Preprocessing} that turns the values stored in the files into the model's
 * inputs: {@code digits} (embedded, seeded 80/20 split, pixels 0..16 divided by 16),
 * {@code fashion-mnist} and {@code mnist} (IDX folders with their own test split, 10
 * classes), {@code idx:<folder>}, or {@code csv:<file>} (seeded 80/20 split). IDX pixels and
 * CSV features are standardized with statistics of the training split only: one mean and
 * deviation for all pixels, one per column for CSV. IDX images stay bytes in memory.
 *
 * <p>Labels are checked, never trusted to size the model: the classes are {@code 0..K-1}
 * with every class in the training split, and a label outside them is an error that names
 * the file and the record.
 */
final class DataSource {
    private DataSource() {}

    /** Where the Debian package {@code dataset-fashion-mnist} installs the data set. */
    static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** The folder looked in for {@code --dataset mnist}. */
    static final Path MNIST = Path.of("/usr/share/datasets/mnist");
    private static final int DIGITS_CLASSES = 10;
    private static final int MNIST_CLASSES = 10;
    private static final float PIXEL_SCALE = 1 / 255f;
    private static final double TEST_FRACTION = 0.2;

    /**
     * A resolved data set, its inputs already preprocessed.
     *
     * @param train the training split, or null when only the test split was loaded
     */
    record Loaded(String name, Dataset train, Dataset test, int classes, Preprocessing preprocessing) {
        /** The length of one feature row. */
        int features() {
            return test.featureShape()[0];
        }
    }

    /** Options that only {@code csv:} uses. */
    record CsvOptions(int labelColumn, boolean header) {}

    /**
     * Loads both splits of the data set named by {@code spec} and fits the preprocessing on
     * the training split; {@code seed} draws the split of data sets that have none.
     */
    static Loaded load(String spec, CsvOptions csv, long seed) throws IOException {
        return switch (kind(spec)) {
            case DIGITS -> standardized(spec, DatasetSplit.random(Digits.rawDataset(), TEST_FRACTION, seed), DIGITS_CLASSES);
            case IDX -> {
                Path folder = idxFolder(spec);
                ByteFeatureDataset train = IdxFolder.loadBytes(folder, "train").flat();
                int classes = idxClasses(spec, folder, train);
                Preprocessing p = train.standardizedGlobally(PIXEL_SCALE);
                int pixels = train.featureShape()[0];
                ByteFeatureDataset test = idxTest(folder, pixels, actual -> spec + ": the test images have " + actual
                        + " pixels, the training images " + pixels, classes, p);
                yield new Loaded(spec, train.withPreprocessing(p), test, classes, p);
            }
            case CSV -> {
                CsvReader.Lines all = readCsv(spec, csv);
                int classes = ClassLabels.count(all.data().labels(), all::where);
                DatasetSplit split = DatasetSplit.random(all.data(), TEST_FRACTION, seed);
                requireEveryClassInTraining(all, split.train(), classes, seed);
                yield standardized(spec, split, classes);
            }
        };
    }

    /** Both parts of {@code split} with each feature standardized by the training part's statistics. */
    private static Loaded standardized(String spec, DatasetSplit split, int classes) {
        TensorDataset train = split.train();
        Preprocessing p = Preprocessing.standardizing(1f, train.features().toArray(), train.featureShape()[0]);
        return new Loaded(spec, preprocessed(train, p), preprocessed(split.validation(), p), classes, p);
    }

    /**
     * Loads only the test split of {@code spec} for the model in {@code modelFile}, of
     * {@code inputs} features and {@code classes} classes, with the preprocessing it was
     * trained with; the training split is not read (for digits and CSV, whose split is drawn
     * from one file, the training part is dropped at once).
     */
    static Loaded loadTest(String spec, CsvOptions csv, long seed, String modelFile, int inputs, int classes,
                           Preprocessing p) throws IOException {
        Dataset test = switch (kind(spec)) {
            case DIGITS -> preprocessed(requireInputs(DatasetSplit.random(Digits.rawDataset(), TEST_FRACTION, seed)
                    .validation(), spec, modelFile, inputs), p);
            case IDX -> {
                Path folder = idxFolder(spec);
                yield idxTest(folder, inputs, actual -> modelFile + " expects " + inputs + " features, the test images in "
                        + folder + " have " + actual, classes, p);
            }
            case CSV -> {
                CsvReader.Lines all = readCsv(spec, csv);
                requireInputs(all.data(), spec, modelFile, inputs);
                ClassLabels.requireBelow(all.data().labels(), classes, all::where);
                yield preprocessed(DatasetSplit.random(all.data(), TEST_FRACTION, seed).validation(), p);
            }
        };
        return new Loaded(spec, null, test, classes, p);
    }

    /** {@code data}, whose examples must have the {@code inputs} features the model in {@code modelFile} takes. */
    private static TensorDataset requireInputs(TensorDataset data, String spec, String modelFile, int inputs) {
        int features = data.featureShape()[0];
        if (features != inputs) {
            throw new IllegalArgumentException(modelFile + " expects " + inputs + " features, " + spec + " has "
                    + features);
        }
        return data;
    }

    private enum Kind { DIGITS, IDX, CSV }

    /** Fails, listing the known ones, unless {@code spec} names a kind of data set (whether or not its files exist). */
    static void requireKnown(String spec) {
        kind(spec);
    }

    private static Kind kind(String spec) {
        if (spec.equals("digits")) {
            return Kind.DIGITS;
        }
        if (spec.equals("fashion-mnist") || spec.equals("mnist") || spec.startsWith("idx:")) {
            return Kind.IDX;
        }
        if (spec.startsWith("csv:")) {
            return Kind.CSV;
        }
        throw new IllegalArgumentException("unknown data set '" + spec
                + "': use digits, fashion-mnist, mnist, idx:<folder> or csv:<file>");
    }

    private static Path idxFolder(String spec) throws NoSuchFileException {
        Path folder;
        String hint;
        if (spec.equals("fashion-mnist")) {
            folder = FASHION_MNIST;
            hint = "install it with: apt-get install -y dataset-fashion-mnist";
        } else if (spec.equals("mnist")) {
            folder = MNIST;
            hint = "put the four MNIST IDX files there, or use --dataset idx:<folder>";
        } else {
            folder = Path.of(spec.substring(4));
            hint = "it should hold train-images-idx3-ubyte[.gz] and the other three IDX files";
        }
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, (Files.exists(folder) ? "not a folder; "
                    : "data set folder not found; ") + hint);
        }
        return folder;
    }

    /** MNIST and Fashion-MNIST have 10 classes; another IDX folder has those its training labels number. */
    private static int idxClasses(String spec, Path folder, ByteFeatureDataset train) throws IOException {
        IntFunction<String> where = record(IdxFolder.labelFile(folder, "train"));
        int[] labels = train.labels();
        if (spec.startsWith("idx:")) {
            return ClassLabels.count(labels, where);
        }
        ClassLabels.requireBelow(labels, MNIST_CLASSES, where);
        return MNIST_CLASSES;
    }

    /**
     * The test split of an IDX folder, whose images must have {@code pixels} pixels; when
     * they do not, {@code mismatch} says so given the pixels they have.
     */
    private static ByteFeatureDataset idxTest(Path folder, int pixels, IntFunction<String> mismatch, int classes,
                                              Preprocessing p) throws IOException {
        ByteFeatureDataset test = IdxFolder.loadBytes(folder, "t10k").flat();
        if (test.featureShape()[0] != pixels) {
            throw new IllegalArgumentException(mismatch.apply(test.featureShape()[0]));
        }
        ClassLabels.requireBelow(test.labels(), classes, record(IdxFolder.labelFile(folder, "t10k")));
        return test.withPreprocessing(p);
    }

    /** Names record {@code i} of an IDX label file: its labels start after an 8-byte header. */
    private static IntFunction<String> record(Path labelFile) {
        return i -> labelFile + ": record " + i + " (byte " + (8L + i) + ")";
    }

    private static CsvReader.Lines readCsv(String spec, CsvOptions csv) throws IOException {
        Path file = Path.of(spec.substring(4));
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return CsvReader.readLabeledLines(file, CsvFormat.DEFAULT.withLabelColumn(csv.labelColumn())
                .withHeader(csv.header()));
    }

    /** A class whose every example fell into the test split cannot be learned: say which and where. */
    private static void requireEveryClassInTraining(CsvReader.Lines all, TensorDataset train, int classes, long seed) {
        boolean[] seen = new boolean[classes];
        for (int label : train.labels()) {
            seen[label] = true;
        }
        int[] labels = all.data().labels();
        for (int c = 0; c < classes; c++) {
            if (!seen[c]) {
                int row = 0;
                while (labels[row] != c) {
                    row++;
                }
                throw new IllegalArgumentException(all.where(row) + ": label " + c + " has no example in the training "
                        + "split (seed " + seed + " drew every one of them into the test split); add examples of it");
            }
        }
    }

    /** {@code data} with the preprocessing applied to its features in place (they are a fresh copy of the split). */
    private static TensorDataset preprocessed(TensorDataset data, Preprocessing p) {
        int features = data.featureShape()[0];
        data.features().writeInPlace(values -> p.applyInPlace(values, features));
        return data;
    }
}
