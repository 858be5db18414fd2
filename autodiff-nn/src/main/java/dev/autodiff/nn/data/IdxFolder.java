package dev.autodiff.nn.data;

import dev.autodiff.Tensor;
import dev.autodiff.nn.io.FileFormatException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads MNIST-format data from a folder with the standard file names
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each raw or with {@code .gz}), as used by MNIST and Fashion-MNIST.
 * Features have shape {@code [N, rows, columns]}.
 */
public final class IdxFolder {
    private IdxFolder() {}

    /** The training split ({@code train-*}). */
    public static TensorDataset train(Path folder, boolean scaleToUnit) throws IOException {
        return load(folder, "train", scaleToUnit);
    }

    /** The test split ({@code t10k-*}). */
    public static TensorDataset test(Path folder, boolean scaleToUnit) throws IOException {
        return load(folder, "t10k", scaleToUnit);
    }

    /** The split whose files start with {@code prefix}; the image and label counts must agree. */
    public static TensorDataset load(Path folder, String prefix, boolean scaleToUnit) throws IOException {
        Path imageFile = find(folder, prefix + "-images-idx3-ubyte");
        Path labelFile = find(folder, prefix + "-labels-idx1-ubyte");
        Tensor images = IdxReader.readImages(imageFile, scaleToUnit);
        int[] labels = IdxReader.readLabels(labelFile);
        if (images.shape(0) != labels.length) {
            throw new FileFormatException(imageFile, "holds " + images.shape(0) + " images, but " + labelFile + " holds "
                    + labels.length + " labels");
        }
        return TensorDataset.withLabels(images, labels);
    }

    /**
     * The split whose files start with {@code prefix}, its images kept as stored bytes
     * ({@code [N, rows, columns]}, identity preprocessing); the image and label counts must agree.
     */
    public static ByteFeatureDataset loadBytes(Path folder, String prefix) throws IOException {
        Path imageFile = find(folder, prefix + "-images-idx3-ubyte");
        Path labelFile = find(folder, prefix + "-labels-idx1-ubyte");
        int[] labels = IdxReader.readLabels(labelFile);
        IdxReader.Images images = IdxReader.readImageBytes(imageFile);
        if (images.count() != labels.length) {
            throw new FileFormatException(imageFile, "holds " + images.count() + " images, but " + labelFile + " holds "
                    + labels.length + " labels");
        }
        return new ByteFeatureDataset(images.pixels(), new int[] {images.rows(), images.columns()}, labels,
                Preprocessing.identity());
    }

    /** The label file of the split {@code prefix} ({@code train} or {@code t10k}), raw or gzip. */
    public static Path labelFile(Path folder, String prefix) throws NoSuchFileException {
        return find(folder, prefix + "-labels-idx1-ubyte");
    }

    /** The raw file if present, else the gzip one. */
    private static Path find(Path folder, String name) throws NoSuchFileException {
        Path raw = folder.resolve(name);
        Path gzip = folder.resolve(name + ".gz");
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        if (Files.isRegularFile(gzip)) {
            return gzip;
        }
        throw new NoSuchFileException(raw.toString(), null, "neither it nor " + gzip.getFileName() + " exists");
    }
}
