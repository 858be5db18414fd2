package dev.autodiff.nn;

import dev.autodiff.Tensor;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.TensorDataset;
import dev.autodiff.nn.io.FileFormatException;
import dev.autodiff.nn.optim.Adam;
import dev.autodiff.nn.optim.LrSchedule;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.ParamGroup;
import dev.autodiff.nn.optim.ReduceLROnPlateau;
import dev.autodiff.nn.optim.SGD;
import dev.autodiff.nn.optim.Scheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training state saved half-way and resumed into fresh objects continues exactly as the
 * run that never stopped: the same parameters, buffers, optimizer state and learning
 * rates, bit for bit, with every kind of scheduler.
 */
class TrainingStateTest {
    private static final int EPOCHS = 6;
    private static final int STOP = 3;

    /** A scheduler made for an optimizer, by name. */
    record Kind(String name, Function<Optimizer, Scheduler> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Kind> schedulers() {
        return Stream.of(
                new Kind("none", o -> null),
                new Kind("step", o -> new LrScheduler(o, LrSchedule.step(2, 0.5))),
                new Kind("exponential", o -> new LrScheduler(o, LrSchedule.exponential(0.8))),
                new Kind("cosine", o -> new LrScheduler(o, LrSchedule.cosine(EPOCHS, 0.001))),
                new Kind("linear", o -> new LrScheduler(o, LrSchedule.linear(0.2, 1, 4))),
                new Kind("warmup-cosine", o -> new LrScheduler(o, LrSchedule.warmupCosine(2, EPOCHS, 0.1, 0))),
                // patience 0 and a coarse threshold: the rate is cut within these few epochs
                new Kind("plateau", o -> new ReduceLROnPlateau(o).factor(0.5).patience(0)
                        .threshold(0.2, ReduceLROnPlateau.ThresholdMode.REL)));
    }

    private static Sequential model(long seed) {
        var rng = new SplittableRandom(seed);
        return new Sequential(new Linear(4, 8, rng), new BatchNorm1d(8), new ReLU(), new Linear(8, 3, rng));
    }

    /** Two groups: the first layer on the optimizer's rate, the rest on its own rate and without decay. */
    private static Optimizer optimizer(Sequential m) {
        List<Tensor> params = m.parameters();
        return new SGD(0.05, ParamGroup.of(params.subList(0, 2)),
                ParamGroup.of(params.subList(2, params.size())).with("lr", 0.1).with("weight_decay", 0))
                .momentum(0.9).weightDecay(1e-3);
    }

    private static DataLoader loader() {
        var rng = new SplittableRandom(11);
        Tensor x = Tensor.randn(rng, 40, 4);
        int[] labels = new int[40];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(3);
        }
        return DataLoader.builder(TensorDataset.withLabels(x, labels)).batchSize(8).shuffle(5).build();
    }

    /** Epochs {@code from} to {@code to - 1}, the scheduler stepped after each (with the epoch's loss for a plateau). */
    private static void train(Sequential m, Optimizer opt, Scheduler scheduler, DataLoader loader, int from, int to) {
        for (int epoch = from; epoch < to; epoch++) {
            loader.setEpoch(epoch);
            double lossSum = 0;
            for (Batch b : loader) {
                Tensor loss = Losses.crossEntropy(m.forward(b.x()), b.labels());
                opt.zeroGrad();
                loss.backward();
                opt.step();
                lossSum += loss.item();
            }
            if (scheduler instanceof LrScheduler s) {
                s.step();
            } else if (scheduler instanceof ReduceLROnPlateau p) {
                p.step(lossSum);
            }
        }
    }

    private static double[] rates(Optimizer opt) {
        return opt.paramGroups().stream().mapToDouble(ParamGroup::learningRate).toArray();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void trainingResumedFromASavedStateIsTheTrainingThatNeverStopped(Kind kind, @TempDir Path dir) throws Exception {
        Sequential straight = model(1);
        Optimizer straightOpt = optimizer(straight);
        Scheduler straightScheduler = kind.make().apply(straightOpt);
        train(straight, straightOpt, straightScheduler, loader(), 0, EPOCHS);

        Path file = dir.resolve("run.safetensors");
        Sequential first = model(1);
        Optimizer firstOpt = optimizer(first);
        Scheduler firstScheduler = kind.make().apply(firstOpt);
        train(first, firstOpt, firstScheduler, loader(), 0, STOP);
        Checkpoint.save(file, first, firstOpt, firstScheduler, STOP);

        Sequential resumed = model(99); // other weights: all must come from the file
        Optimizer resumedOpt = optimizer(resumed);
        Scheduler resumedScheduler = kind.make().apply(resumedOpt);
        int done = Checkpoint.resume(file, resumed, resumedOpt, resumedScheduler);
        assertEquals(STOP, done);
        assertArrayEquals(rates(firstOpt), rates(resumedOpt), "the rates of the saved epoch");
        train(resumed, resumedOpt, resumedScheduler, loader(), done, EPOCHS);

        Map<String, Tensor> expected = straight.stateDict();
        resumed.stateDict().forEach((name, t) -> assertArrayEquals(expected.get(name).toArray(), t.toArray(), name));
        Map<String, Tensor> expectedBuffers = straightOpt.stateDict().buffers();
        resumedOpt.stateDict().buffers().forEach((name, t) ->
                assertArrayEquals(expectedBuffers.get(name).toArray(), t.toArray(), "optimizer " + name));
        assertArrayEquals(straightOpt.stateDict().steps(), resumedOpt.stateDict().steps());
        assertArrayEquals(rates(straightOpt), rates(resumedOpt));
        if (straightScheduler != null) {
            assertEquals(straightScheduler.stateDict(), resumedScheduler.stateDict());
        }
    }

    @Test
    void theScheduleMovedDuringTheRunsCompared() {
        // Otherwise the comparison above would not show that the scheduler state is restored.
        for (Kind kind : schedulers().toList()) {
            if (kind.name().equals("none")) {
                continue;
            }
            Sequential m = model(1);
            Optimizer opt = optimizer(m);
            Scheduler scheduler = kind.make().apply(opt);
            double[] before = rates(opt);
            train(m, opt, scheduler, loader(), 0, STOP);
            double[] atStop = rates(opt);
            train(m, opt, scheduler, loader(), STOP, EPOCHS);
            assertTrue(before[0] != atStop[0] || atStop[0] != rates(opt)[0], kind + " kept one rate throughout");
        }
    }

    @Test
    void aStateThatDoesNotFitIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run.safetensors");
        Sequential m = model(1);
        Optimizer opt = optimizer(m);
        LrScheduler cosine = new LrScheduler(opt, LrSchedule.cosine(EPOCHS, 0));
        Checkpoint.save(file, m, opt, cosine, 2);

        var noScheduler = assertThrows(FileFormatException.class, () -> Checkpoint.resume(file, m, opt, null));
        assertTrue(noScheduler.getMessage().contains("holds the state of a LrScheduler"), noScheduler.getMessage());
        var otherKind = assertThrows(FileFormatException.class,
                () -> Checkpoint.resume(file, m, opt, new ReduceLROnPlateau(opt)));
        assertTrue(otherKind.getMessage().contains("not of the ReduceLROnPlateau given"), otherKind.getMessage());
        Optimizer oneGroup = new SGD(m.parameters(), 0.05).momentum(0.9);
        var groups = assertThrows(FileFormatException.class, () -> Checkpoint.resume(file, m, oneGroup,
                new LrScheduler(oneGroup, LrSchedule.cosine(EPOCHS, 0))));
        assertTrue(groups.getMessage().contains("parameter groups of [2, 4] parameters, the optimizer [6]"),
                groups.getMessage());
        Optimizer adam = new Adam(m.parameters(), 0.01);
        assertThrows(FileFormatException.class, () -> Checkpoint.resume(file, m, adam, null));

        Path modelOnly = dir.resolve("model.safetensors");
        Checkpoint.save(modelOnly, m);
        var noEpoch = assertThrows(FileFormatException.class, () -> Checkpoint.resume(modelOnly, m, opt, cosine));
        assertTrue(noEpoch.getMessage().contains("holds no training state"), noEpoch.getMessage());
    }
}
