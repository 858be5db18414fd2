package dev.autodiff.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * A stage's params in {@code <path>/metadata}, in the JSON form Spark ML's own stages use
 * (class, timestamp, sparkVersion, uid, paramMap, defaultParamMap, one line of text), so
 * that a {@code Pipeline} or {@code PipelineModel} holding our stages saves and loads
 * them like any other: Spark reads the class name from it and calls that class's
 * {@code read()}. The {@link #writer} and {@link #reader} of every stage are made here.
 */
final class ParamsMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ParamsMetadata() {}

    /** What a stage saves besides its params, under the stage's folder {@code path}. */
    @FunctionalInterface
    interface Data {
        void save(String path, SparkSession spark);
    }

    /** Makes a stage of the saved uid; {@code path} is the stage's folder, to read its data from. */
    @FunctionalInterface
    interface Restorer<S> {
        S restore(String uid, String path, SparkSession spark);
    }

    /** A writer of {@code stage}'s params, then of its {@code data}. */
    static MLWriter writer(Params stage, Data data) {
        return new MLWriter() {
            @Override
            public void saveImpl(String path) {
                ParamsMetadata.save(stage, path, sparkSession());
                data.save(path, sparkSession());
            }
        };
    }

    /** A writer of the params of a stage that has nothing else to save. */
    static MLWriter writer(Params stage) {
        return writer(stage, (path, spark) -> { });
    }

    /**
     * A reader of stages of class {@code type}: it checks the saved class, makes the stage
     * with {@code restorer}, and sets the saved params on it.
     */
    static <S extends Params> MLReader<S> reader(Class<S> type, Restorer<S> restorer) {
        return new MLReader<>() {
            @Override
            public S load(String path) {
                JsonNode metadata = ParamsMetadata.read(path, sparkSession(), type);
                S stage = restorer.restore(metadata.path("uid").asText(), path, sparkSession());
                apply(metadata, stage);
                return stage;
            }
        };
    }

    /** Writes the metadata of {@code stage} under {@code path}. */
    private static void save(Params stage, String path, SparkSession spark) {
        ObjectNode root = JSON.createObjectNode();
        root.put("class", stage.getClass().getName());
        root.put("timestamp", System.currentTimeMillis());
        root.put("sparkVersion", spark.version());
        root.put("uid", stage.uid());
        ObjectNode set = root.putObject("paramMap");
        ObjectNode defaults = root.putObject("defaultParamMap");
        for (Param<?> p : stage.params()) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) p;
            if (stage.isSet(param)) {
                set.set(param.name(), parse(param.jsonEncode(stage.getOrDefault(param))));
            }
            if (stage.hasDefault(param)) {
                defaults.set(param.name(), parse(param.jsonEncode(stage.getDefault(param).get())));
            }
        }
        Path file = new Path(new Path(path, "metadata"), "part-00000");
        try {
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (FSDataOutputStream out = fs.create(file, false)) {
                out.write((JSON.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The metadata under {@code path}, which must be of a {@code expected} stage. */
    private static JsonNode read(String path, SparkSession spark, Class<?> expected) {
        String metadataPath = new Path(path, "metadata").toString();
        String line = spark.read().text(metadataPath).first().getString(0);
        JsonNode root = parse(line);
        String saved = root.path("class").asText();
        if (!expected.getName().equals(saved)) {
            throw new IllegalArgumentException(metadataPath + " holds a " + saved + ", not a " + expected.getName());
        }
        return root;
    }

    /** Sets the saved params (those set by the user, then the defaults) on {@code stage}. */
    private static void apply(JsonNode metadata, Params stage) {
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.path("paramMap").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Param<Object> param = stage.getParam(e.getKey());
            stage.set(param, param.jsonDecode(e.getValue().toString()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = metadata.path("defaultParamMap").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Param<Object> param = stage.getParam(e.getKey());
            stage.setDefault(param, param.jsonDecode(e.getValue().toString()));
        }
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed stage metadata: " + e.getMessage(), e);
        }
    }
}
