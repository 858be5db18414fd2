package dev.autodiff.nn;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.optim.Adagrad;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.AdamW;
import dev.autodiff.nn.optim.GradClip;
import dev.autodiff.nn.optim.LrSchedule;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerKind;
import dev.autodiff.nn.optim.ParamGroup;
import dev.autodiff.nn.optim.RMSprop;
import dev.autodiff.nn.optim.SGD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random models trained as PyTorch trains them: 150 {@code Sequential} models of linear,
 * normalisation and activation layers, each with a random loss, gradient clip, optimizer
 * (over one or two parameter groups) and learning-rate schedule, written with PyTorch's
 * float64 training of them by {@code autodiff-nn/scripts/random_models.py} (its docstring
 * gives the format). Each model starts from the fixture's state dict, takes four steps here
 * in float32 and must
 * give PyTorch's loss at every step, the norm a clip by norm saw, every parameter and
 * buffer after the last step (running statistics and {@code num_batches_tracked}
 * included) and the evaluation-mode output on one more batch, each within 1e-4 of the
 * largest magnitude (at least 1) of that result: the script keeps only models whose
 * float32 training in PyTorch is within 1e-5, so a miss is a wrong layer, loss, clip or
 * update rule, not rounding. Then the same training saved half way and resumed in a new
 * model, optimizer and scheduler must end with the same bits, as must every model trained
 * at the same time as others on other threads.
 */
class RandomModelTest {

    private static final double TOLERANCE = 1e-4;

    /** One step's batch and what PyTorch saw at it. */
    record Step(Tensor x, int[] labels, Tensor target, double loss, double norm) {}

    record Model(int id, int[] input, List<String[]> layers, String[] loss, String[] optimizer, String[] clip,
                 String[] groups, String[] schedule, Map<String, Tensor> state, List<Step> steps,
                 Map<String, double[]> finalState, Tensor evaluation, double[] output) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("model ").append(id).append(':');
            for (String[] layer : layers) {
                b.append(' ').append(layer[0]);
            }
            b.append(", ").append(loss[0]).append(", ").append(optimizer[0]);
            if (groups[0].equals("vectors")) {
                b.append(" with two groups");
            }
            return schedule[0].equals("none") ? b.toString() : b.append(", ").append(schedule[0]).append(" schedule")
                    .toString();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void trainsAsPyTorchDoes(Model m) throws IOException {
        Sequential model = train(m, null);
        Map<String, Tensor> state = model.stateDict();
        assertEquals(m.finalState.keySet(), state.keySet(), "state dict keys");
        m.finalState.forEach((key, expected) -> assertClose(expected, state.get(key), key + " after the last step"));
        assertClose(m.output, evaluate(model, m.evaluation), "output in evaluation mode");
    }

    /**
     * Saved half way and loaded into a new model, optimizer and scheduler, training goes on
     * as if it had never stopped, to the bit: the optimizer's buffers and step counts, the
     * schedule's place and the running statistics all go through the checkpoint's files.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void aRunResumedFromACheckpointIsTheRunThatNeverStopped(Model m, @TempDir Path dir) throws IOException {
        Sequential straight = train(m, null);
        Sequential resumed = train(m, dir.resolve("model.safetensors"));
        Map<String, Tensor> expected = straight.stateDict();
        resumed.stateDict().forEach((key, t) -> assertArrayEquals(expected.get(key).toArray(), t.toArray(), key));
        assertArrayEquals(evaluate(straight, m.evaluation).toArray(), evaluate(resumed, m.evaluation).toArray(),
                "output in evaluation mode");
    }

    /**
     * Four threads training the fixture's models at once, each model on one thread, end with
     * the bits of the models trained one after the other: the arenas that recycle
     * activations, the kernels' shared threads and the optimizers keep to their callers.
     */
    @Test
    void modelsTrainedOnFourThreadsAtOnceEndWithTheBitsOfOneAfterTheOther() throws Exception {
        List<Model> models = models();
        List<Map<String, Tensor>> alone = new ArrayList<>();
        for (Model m : models) {
            alone.add(train(m, null).stateDict());
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Map<String, Tensor>>> together = new ArrayList<>();
            for (Model m : models) {
                together.add(pool.submit(() -> train(m, null).stateDict()));
            }
            for (int i = 0; i < models.size(); i++) {
                Map<String, Tensor> expected = alone.get(i);
                String model = models.get(i).toString();
                together.get(i).get().forEach((key, t) ->
                        assertArrayEquals(expected.get(key).toArray(), t.toArray(), model + ": " + key));
            }
        }
    }

    /**
     * The model's steps from the fixture's initial state, each giving PyTorch's loss (and the
     * norm a clip by norm sees); with a checkpoint file, the model, optimizer and scheduler
     * are saved half way and the other steps are taken by new ones resumed from it.
     */
    private static Sequential train(Model m, Path checkpoint) throws IOException {
        Sequential model = sequential(m.layers);
        model.loadStateDict(m.state, false);
        Optimizer optimizer = optimizer(m, model, Double.parseDouble(m.optimizer[2]), true);
        LrScheduler scheduler = scheduler(m.schedule, optimizer);
        int half = m.steps.size() / 2;
        for (int s = 0; s < m.steps.size(); s++) {
            if (checkpoint != null && s == half) {
                Checkpoint.save(checkpoint, model, optimizer, scheduler, half);
                // new ones with the defaults and another rate: the checkpoint restores the run's
                model = sequential(m.layers);
                optimizer = optimizer(m, model, 0.5, false);
                scheduler = scheduler(m.schedule, optimizer);
                assertEquals(half, Checkpoint.resume(checkpoint, model, optimizer, scheduler));
            }
            Step step = m.steps.get(s);
            Tensor loss = loss(m.loss, model.forward(step.x), step);
            assertClose(new double[] {step.loss}, loss, "loss at step " + (s + 1));
            optimizer.zeroGrad();
            loss.backward();
            switch (m.clip[0]) {
                case "norm" -> assertClose(new double[] {step.norm},
                        Tensor.scalar(GradClip.clipGradNorm(model.parameters(), Double.parseDouble(m.clip[1]))),
                        "total norm at step " + (s + 1));
                case "value" -> GradClip.clipGradValue(model.parameters(), Double.parseDouble(m.clip[1]));
                default -> { }
            }
            optimizer.step();
            if (scheduler != null) {
                scheduler.step();
            }
        }
        return model;
    }

    private static Tensor evaluate(Module model, Tensor x) {
        model.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            return model.forward(x);
        }
    }

    private static Sequential sequential(List<String[]> layers) {
        SplittableRandom rng = new SplittableRandom(0); // every value is then loaded from the fixture
        Sequential model = new Sequential();
        for (String[] layer : layers) {
            model.add(switch (layer[0]) {
                case "linear" -> new Linear(parseInt(layer[1]), parseInt(layer[2]), layer[3].equals("1"), rng);
                case "batchnorm" -> new BatchNorm1d(parseInt(layer[1]), parseFloat(layer[2]), parseFloat(layer[3]),
                        layer[4].equals("1"));
                case "layernorm" -> new LayerNorm(new int[] {parseInt(layer[1])}, parseFloat(layer[2]),
                        layer[3].equals("1"));
                case "relu" -> new ReLU();
                case "gelu" -> new GELU();
                case "silu" -> new SiLU();
                case "sigmoid" -> new Sigmoid();
                case "tanh" -> new Tanh();
                case "leakyrelu" -> new LeakyReLU(parseFloat(layer[1]));
                case "softmax" -> new Softmax(parseInt(layer[1]));
                case "logsoftmax" -> new LogSoftmax(parseInt(layer[1]));
                case "dropout" -> new Dropout(0f, rng);
                case "flatten" -> new Flatten();
                default -> throw new IllegalArgumentException("unknown layer " + layer[0]);
            });
        }
        return model;
    }

    /**
     * The fixture's optimizer {@code <label> lr <lr> <name> <value> ...} (PyTorch's names)
     * with learning rate {@code lr}, over one group of every parameter or, for
     * {@code groups vectors <lr>}, a group of the matrices and one of the vectors with its
     * own rate and no weight decay; with the fixture's hyper-parameters, or with the
     * defaults and groups of no values of their own.
     */
    private static Optimizer optimizer(Model m, Module model, double lr, boolean hyperParameters) {
        String[] words = m.optimizer;
        Optimizer optimizer;
        if (m.groups[0].equals("vectors")) {
            List<Tensor> matrices = model.parameters().stream().filter(p -> p.rank() > 1).toList();
            List<Tensor> vectors = model.parameters().stream().filter(p -> p.rank() <= 1).toList();
            ParamGroup vectorGroup = hyperParameters
                    ? ParamGroup.of(vectors).with("lr", Double.parseDouble(m.groups[1])).with("weight_decay", 0)
                    : ParamGroup.of(vectors);
            ParamGroup[] groups = {ParamGroup.of(matrices), vectorGroup};
            optimizer = switch (words[0]) {
                case "sgd" -> new SGD(lr, groups);
                case "adam" -> new Adam(lr, groups);
                case "adamw" -> new AdamW(lr, groups);
                case "rmsprop" -> new RMSprop(lr, groups);
                case "adagrad" -> new Adagrad(lr, groups);
                default -> throw new IllegalArgumentException("unknown optimizer " + words[0]);
            };
        } else {
            optimizer = OptimizerKind.fromLabel(words[0]).spec().create(model.parameters(), lr);
        }
        for (int i = 3; hyperParameters && i < words.length; i += 2) {
            optimizer.set(words[i], Double.parseDouble(words[i + 1]));
        }
        return optimizer;
    }

    /** The fixture's schedule, stepped after every optimizer step; null for none. */
    private static LrScheduler scheduler(String[] words, Optimizer optimizer) {
        LrSchedule schedule = switch (words[0]) {
            case "none" -> null;
            case "step" -> LrSchedule.step(parseInt(words[1]), Double.parseDouble(words[2]));
            case "exponential" -> LrSchedule.exponential(Double.parseDouble(words[1]));
            case "cosine" -> LrSchedule.cosine(parseInt(words[1]), Double.parseDouble(words[2]));
            case "linear" -> LrSchedule.linear(Double.parseDouble(words[1]), Double.parseDouble(words[2]),
                    parseInt(words[3]));
            default -> throw new IllegalArgumentException("unknown schedule " + words[0]);
        };
        return schedule == null ? null : new LrScheduler(optimizer, schedule);
    }

    private static Tensor loss(String[] words, Tensor output, Step step) {
        Reduction reduction = Reduction.valueOf(words[1].toUpperCase());
        return switch (words[0]) {
            case "crossentropy" -> {
                CrossEntropyLoss loss = new CrossEntropyLoss().reduction(reduction).labelSmoothing(parseFloat(words[2]))
                        .ignoreIndex(parseInt(words[3]));
                if (words.length > 4) {
                    float[] weights = new float[words.length - 4];
                    for (int i = 0; i < weights.length; i++) {
                        weights[i] = parseInt(words[4 + i]) / 1024f;
                    }
                    loss = loss.weight(Tensor.of(weights, weights.length));
                }
                yield loss.apply(output, step.labels);
            }
            case "probabilities" -> new CrossEntropyLoss().reduction(reduction).labelSmoothing(parseFloat(words[2]))
                    .apply(output, step.target);
            case "mse" -> Losses.mse(output, step.target, reduction);
            case "l1" -> Losses.l1(output, step.target, reduction);
            case "huber" -> Losses.huber(output, step.target, parseFloat(words[2]), reduction);
            case "bcelogits" -> Losses.binaryCrossEntropyWithLogits(output, step.target, reduction);
            default -> throw new IllegalArgumentException("unknown loss " + words[0]);
        };
    }

    /**
     * Each value within {@link #TOLERANCE} of the largest expected magnitude (at least 1).
     */
    private static void assertClose(double[] expected, Tensor actual, String what) {
        float[] got = actual.toArray();
        assertEquals(expected.length, got.length, what + ": the number of values");
        double scale = 1;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < got.length; i++) {
            double error = Math.abs(got[i] - expected[i]) / scale;
            int at = i;
            double largest = scale;
            assertTrue(error <= TOLERANCE, () -> what + "[" + at + "] = " + got[at] + ", expected " + expected[at]
                    + " (error " + error + " of the largest magnitude " + "%.3g".formatted(largest) + ")");
        }
    }

    static List<Model> models() {
        List<Model> models = new ArrayList<>();
        try (var in = RandomModelTest.class.getResourceAsStream("/random_models.txt");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            List<String> block = new ArrayList<>();
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                block.add(line);
                if (line.equals("end")) {
                    models.add(parse(block));
                    block.clear();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return models;
    }

    private static Model parse(List<String> lines) {
        int id = parseInt(lines.get(0).split(" ")[1]);
        int[] input = null;
        int[] output = null;
        List<String[]> layers = new ArrayList<>();
        String[] loss = null;
        String[] optimizer = null;
        String[] clip = null;
        String[] groups = null;
        String[] schedule = null;
        Map<String, Tensor> state = new LinkedHashMap<>();
        Map<String, double[]> finalState = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        Tensor x = null;
        int[] labels = null;
        Tensor target = null;
        double stepLoss = Double.NaN;
        Tensor evaluation = null;
        double[] outputValues = null;
        Sequential shapes = null; // the model once its layers are known, for the shapes of the state dict
        for (String line : lines.subList(1, lines.size() - 1)) {
            String[] w = line.split(" ");
            String[] rest = Arrays.copyOfRange(w, 1, w.length);
            switch (w[0]) {
                case "input" -> input = Arrays.stream(w, 2, w.length).mapToInt(Integer::parseInt).toArray();
                case "layer" -> layers.add(rest);
                case "loss" -> loss = rest;
                case "value" -> {
                    stepLoss = Double.parseDouble(w[1]);
                    if (!clip[0].equals("norm")) {
                        steps.add(new Step(x, labels, target, stepLoss, Double.NaN));
                    }
                }
                case "optimizer" -> optimizer = rest;
                case "clip" -> clip = rest;
                case "groups" -> groups = rest;
                case "schedule" -> schedule = rest;
                case "state" -> {
                    if (shapes == null) {
                        shapes = sequential(layers);
                        output = outputShape(input, layers);
                    }
                    int[] shape = shapes.stateDict().get(w[1]).shape();
                    state.put(w[1], Tensor.of(scaled(w, 3, 1024), shape));
                }
                case "step" -> {
                    labels = null;
                    target = null;
                }
                case "x" -> x = Tensor.of(scaled(w, 2, 256), input);
                case "labels" -> labels = Arrays.stream(w, 2, w.length).mapToInt(Integer::parseInt).toArray();
                case "target" -> target = Tensor.of(scaled(w, 2, 256), output);
                case "probabilities" -> target = Tensor.of(floats(w, 2), output);
                case "norm" -> steps.add(new Step(x, labels, target, stepLoss, Double.parseDouble(w[1])));
                case "final" -> finalState.put(w[1], doubles(w, 3));
                case "eval" -> evaluation = Tensor.of(scaled(w, 2, 256), input);
                case "output" -> outputValues = doubles(w, 2);
                default -> throw new IllegalArgumentException("model " + id + ": unknown line " + line);
            }
        }
        return new Model(id, input, layers, loss, optimizer, clip, groups, schedule, state, steps, finalState, evaluation, outputValues);
    }

    /** The shape of the model's output: the input's, with the last Linear's width last, and flattened if asked. */
    private static int[] outputShape(int[] input, List<String[]> layers) {
        int[] shape = input.clone();
        for (String[] layer : layers) {
            if (layer[0].equals("flatten")) {
                shape = new int[] {shape[0], shape[1] * shape[2]};
            } else if (layer[0].equals("linear")) {
                shape[shape.length - 1] = parseInt(layer[2]);
            }
        }
        return shape;
    }

    private static float[] scaled(String[] words, int from, float denominator) {
        float[] values = new float[words.length - from];
        for (int i = 0; i < values.length; i++) {
            values[i] = parseInt(words[from + i]) / denominator;
        }
        return values;
    }

    private static float[] floats(String[] words, int from) {
        float[] values = new float[words.length - from];
        for (int i = 0; i < values.length; i++) {
            values[i] = parseFloat(words[from + i]);
        }
        return values;
    }

    private static double[] doubles(String[] words, int from) {
        return Arrays.stream(words, from, words.length).mapToDouble(Double::parseDouble).toArray();
    }

    private static int parseInt(String s) {
        return Integer.parseInt(s);
    }

    private static float parseFloat(String s) {
        return Float.parseFloat(s);
    }
}
