package dev.autodiff.spark;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Checkpoint;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.data.Preprocessing;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The weights of a trained model as one safetensors file: the state dict of the
 * {@link Sequential} under PyTorch's names ({@code 0.weight}, {@code 0.bias},
 * {@code 2.weight}, ...), written by {@link Checkpoint}, with the metadata that rebuilds
 * it: the architecture under the CLI trainer's keys, the input preprocessing under
 * {@link Preprocessing#METADATA_KEY}, and how it was trained. Our nn, the CLI and PyTorch
 * read it. This class is the one place where the metadata keys are written and read.
 */
final class ModelFile {
    /** The file's name inside a saved model's {@code data} folder. */
    static final String NAME = "model.safetensors";

    private static final String INPUTS = "model.inputs";
    private static final String HIDDEN = "model.hidden";
    private static final String ACTIVATION = "model.activation";
    private static final String CLASSES = "model.classes";
    private static final String PRODUCER = "autodiff.producer";

    private ModelFile() {}

    /**
     * A model read back from a file.
     *
     * @param network the architecture
     * @param model the network with the saved weights
     * @param preprocessing the preprocessing of the features (identity when the file has none)
     * @param training the saved description of the training run
     */
    record Saved(Network network, Sequential model, Preprocessing preprocessing, Map<String, String> training) {
    }

    /**
     * The file's metadata: the architecture, the preprocessing, and {@code training} (such as
     * {@code seed}, {@code epochs}, {@code optimizer.name}, as the CLI's keys).
     */
    static Map<String, String> metadata(Network network, Preprocessing preprocessing, Map<String, String> training) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PRODUCER, "autodiff-spark");
        m.put(INPUTS, Integer.toString(network.inputs()));
        m.put(HIDDEN, Arrays.stream(network.hidden()).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        m.put(ACTIVATION, network.activation().label());
        m.put(CLASSES, Integer.toString(network.outputs()));
        m.put(Preprocessing.METADATA_KEY, preprocessing.toJson());
        m.putAll(training);
        return m;
    }

    /** Writes the model to {@code file} on a Hadoop file system (local, HDFS, S3, ...), through a local file if it is remote. */
    static void write(org.apache.hadoop.fs.Path file, Configuration conf, Sequential model, Map<String, String> metadata)
            throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (fs instanceof LocalFileSystem localFs) {
            Path local = localFs.pathToFile(file).toPath();
            Files.createDirectories(local.getParent());
            Checkpoint.save(local, model, null, metadata);
            return;
        }
        Path dir = Files.createTempDirectory("autodiff-model");
        try {
            Path local = dir.resolve(NAME);
            Checkpoint.save(local, model, null, metadata);
            fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), file);
        } finally {
            deleteTree(dir);
        }
    }

    /** Reads a model written by {@link #write}. */
    static Saved read(org.apache.hadoop.fs.Path file, Configuration conf) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (fs instanceof LocalFileSystem localFs) {
            return read(localFs.pathToFile(file).toPath());
        }
        Path dir = Files.createTempDirectory("autodiff-model");
        try {
            Path local = dir.resolve(NAME);
            fs.copyToLocalFile(false, file, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return read(local);
        } finally {
            deleteTree(dir);
        }
    }

    /** Reads a model file on the local file system. */
    static Saved read(Path file) throws IOException {
        Checkpoint checkpoint = Checkpoint.read(file);
        Map<String, String> m = checkpoint.metadata();
        String hidden = require(m, HIDDEN, file);
        int[] layers;
        try {
            int[] sizes = hidden.isEmpty() ? new int[0] : Arrays.stream(hidden.split(",")).mapToInt(Integer::parseInt).toArray();
            layers = new int[sizes.length + 2];
            layers[0] = Integer.parseInt(require(m, INPUTS, file));
            System.arraycopy(sizes, 0, layers, 1, sizes.length);
            layers[layers.length - 1] = Integer.parseInt(require(m, CLASSES, file));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": bad layer sizes in the metadata: " + e.getMessage(), e);
        }
        Network network = new Network(layers, Activation.fromLabel(require(m, ACTIVATION, file)));
        Sequential model = network.build(0);
        model.loadStateDict(checkpoint.model(), true);
        Preprocessing preprocessing = Preprocessing.fromMetadata(m);
        Map<String, String> training = new LinkedHashMap<>(m);
        training.keySet().removeAll(metadata(network, Preprocessing.identity(), Map.of()).keySet());
        training.remove("format");
        return new Saved(network, model, preprocessing != null ? preprocessing : Preprocessing.identity(), training);
    }

    private static String require(Map<String, String> m, String key, Path file) throws IOException {
        String v = m.get(key);
        if (v == null) {
            throw new IOException(file + ": not an autodiff model file (metadata '" + key + "' is missing)");
        }
        return v;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
