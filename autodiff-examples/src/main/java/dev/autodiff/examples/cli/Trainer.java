package dev.autodiff.examples.cli;

import dev.autodiff.NoGrad;
import dev.autodiff.Tensor;
import dev.autodiff.nn.ConfusionMatrix;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Metrics;
import dev.autodiff.nn.Module;
import dev.autodiff.nn.RunningMean;
import dev.autodiff.nn.data.Batch;
import dev.autodiff.nn.data.DataLoader;
import dev.autodiff.nn.data.Dataset;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;

import java.util.function.Consumer;

/**
 * The training loop of the {@code train} command: minibatches of cross-entropy and
 * optimizer steps, the learning rate stepped once per epoch, and a test evaluation after
 * each epoch.
 */
final class Trainer {
    /** Rows per forward pass of the test evaluation. */
    static final int EVAL_BATCH = 1024;

    private final Module model;
    private final Optimizer optimizer;
    private final LrScheduler scheduler;
    private final DataLoader loader;
    private final Dataset test;
    private final int classes;

    Trainer(Module model, Optimizer optimizer, LrScheduler scheduler, Dataset train, Dataset test,
            int classes, int batchSize, long seed) {
        this.model = model;
        this.optimizer = optimizer;
        this.scheduler = scheduler;
        // Each batch is used up before the next is asked for, so one set of arrays serves them all.
        this.loader = DataLoader.builder(train).batchSize(batchSize).shuffle(seed).reuseBuffers(true).build();
        this.test = test;
        this.classes = classes;
    }

    /** The number of optimizer steps in one epoch. */
    int batchesPerEpoch() {
        return loader.batchesPerEpoch();
    }

    /**
     * Trains epoch {@code epoch} (counted from 1); {@code afterBatch} receives each batch's
     * loss, for a progress display.
     */
    EpochStats epoch(int epoch, Consumer<Double> afterBatch) {
        loader.setEpoch(epoch - 1);
        double lr = optimizer.learningRate();
        model.train();
        RunningMean meanLoss = new RunningMean();
        long correct = 0;
        long seen = 0;
        int step = 1;
        long start = System.nanoTime();
        for (Batch batch : loader) {
            Tensor logits = model.forward(batch.x());
            Tensor loss = Losses.crossEntropy(logits, batch.labels());
            optimizer.zeroGrad();
            loss.backward();
            optimizer.step();
            double value = loss.item();
            if (!Double.isFinite(value)) {
                throw new TrainingDivergedException(epoch, step, value, optimizer.learningRate());
            }
            step++;
            meanLoss.add(value, batch.size());
            correct += Metrics.correct(logits, batch.labels());
            seen += batch.size();
            afterBatch.accept(value);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (scheduler != null) {
            scheduler.step();
        }
        return new EpochStats(epoch, meanLoss.mean(), correct / (double) seen, evaluate(model, test, classes).accuracy(),
                seen / seconds, seconds, lr);
    }

    /** The confusion matrix of {@code model} on {@code data}, in evaluation mode and without recording. */
    static ConfusionMatrix evaluate(Module model, Dataset data, int classes) {
        model.eval();
        ConfusionMatrix matrix = new ConfusionMatrix(classes);
        try (var scope = NoGrad.enter()) {
            for (Batch batch : DataLoader.builder(data).batchSize(EVAL_BATCH).reuseBuffers(true).build()) {
                matrix.add(model.forward(batch.x()), batch.labels());
            }
        }
        return matrix;
    }
}
