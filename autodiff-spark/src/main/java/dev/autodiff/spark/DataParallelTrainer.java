package dev.autodiff.spark;

import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.LrScheduler;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.SchedulePreset;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Data-parallel training on the cached partitions, driven from the driver, one Spark job
 * per round of communication.
 *
 * <ul>
 * <li><b>Synchronous</b> ({@code localSteps = 1}): for each batch of the epoch's order,
 * every partition returns the sum of the gradients of its rows in the batch; the driver
 * adds them in partition order, divides by the batch's rows and steps its optimizer. The
 * parameters follow exactly the steps of one machine training with the same batches (a
 * {@code DataLoader} with the same seed and batch size), up to the order of the float sums.</li>
 * <li><b>Local SGD</b> ({@code localSteps = K > 1}): every partition starts from the same
 * parameters and optimizer state and takes K optimizer steps on its own rows of K
 * consecutive batches; the driver then averages the parameters and the optimizer buffers,
 * weighted by the rows each partition trained on. K times fewer rounds, at the price of
 * replicas drifting apart between averagings.</li>
 * </ul>
 */
final class DataParallelTrainer {

    /**
     * @param network the architecture
     * @param optimizer the optimizer and its hyper-parameters
     * @param schedule the per-epoch learning-rate schedule
     * @param epochs the passes over the data
     * @param batchSize the rows of one (global) batch
     * @param seed the seed of the initialization and of the order of each epoch
     * @param localSteps the optimizer steps between averagings; 1 is synchronous training
     */
    record Config(Network network, OptimizerChoice optimizer, SchedulePreset schedule, int epochs, int batchSize, long seed,
                  int localSteps) {
    }

    private final TrainingData data;
    private final Config config;
    private final Sequential model;
    private final Optimizer optimizer;
    private final EpochOrder order;

    DataParallelTrainer(TrainingData data, Config config) {
        this.data = data;
        this.config = config;
        this.model = config.network().build(config.seed());
        this.optimizer = config.optimizer().create(model.parameters());
        this.order = new EpochOrder(data.rows(), data.starts(), config.seed());
    }

    /** Trains all epochs, calling {@code afterEpoch} with each epoch's report and the model; returns the reports. */
    List<EpochReport> train(BiConsumer<EpochReport, Sequential> afterEpoch) {
        List<EpochReport> history = new ArrayList<>();
        SchedulePreset schedule = config.schedule();
        LrScheduler scheduler = schedule == SchedulePreset.NONE ? null
                : new LrScheduler(optimizer, schedule.forEpochs(config.epochs()));
        int rows = data.rows();
        int batch = config.batchSize();
        int steps = (rows + batch - 1) / batch;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            long start = System.nanoTime();
            double lr = optimizer.learningRate();
            int[] permutation = order.permutation(epoch);
            double lossSum = 0;
            long correct = 0;
            int rounds = 0;
            for (int s = 0; s < steps; s += config.localSteps()) {
                int k = Math.min(config.localSteps(), steps - s);
                ReplicaResult r = config.localSteps() == 1
                        ? synchronousStep(order.split(permutation, s * batch, Math.min(rows, (s + 1) * batch)))
                        : localRound(batches(permutation, s, k, batch, rows), k);
                lossSum += r.lossSum();
                correct += r.correct();
                rounds++;
            }
            if (scheduler != null) {
                scheduler.step();
            }
            EpochReport report = new EpochReport(epoch + 1, config.epochs(), lossSum / rows, correct / (double) rows,
                    (System.nanoTime() - start) / 1e9, rounds, lr);
            if (!Double.isFinite(report.loss())) {
                throw new IllegalStateException("training diverged in epoch " + report.epoch() + " (mean loss "
                        + report.loss() + "); lower stepSize (now " + lr + ") or set standardization");
            }
            history.add(report);
            afterEpoch.accept(report, model);
        }
        return history;
    }

    /** The driver's model: the trained one once {@link #train} has returned. */
    Sequential model() {
        return model;
    }

    /** The rows of batches {@code s .. s+k-1} of the epoch, by partition: element {@code [p][j]} is partition p's part of batch s+j. */
    private int[][][] batches(int[] permutation, int s, int k, int batch, int rows) {
        int partitions = data.starts().length;
        int[][][] byPartition = new int[partitions][k][];
        for (int j = 0; j < k; j++) {
            int from = (s + j) * batch;
            int[][] split = order.split(permutation, from, Math.min(rows, from + batch));
            for (int p = 0; p < partitions; p++) {
                byPartition[p][j] = split[p];
            }
        }
        return byPartition;
    }

    private ReplicaResult synchronousStep(int[][] rowsByPartition) {
        Network network = config.network();
        float[] weights = Network.flatten(model);
        List<ReplicaResult> parts = data.shards()
                .map(shard -> Replica.of(network).gradientSum(shard, weights, rowsByPartition[shard.partition]))
                .collect();
        ReplicaResult total = ReplicaResult.sum(parts);
        Network.setGradients(model, total.values(), 1f / total.rows());
        optimizer.step();
        return total;
    }

    private ReplicaResult localRound(int[][][] rowsByPartition, int k) {
        Network network = config.network();
        OptimizerChoice spec = config.optimizer();
        ReplicaState state = ReplicaState.of(model, optimizer);
        List<ReplicaResult> parts = data.shards()
                .map(shard -> Replica.of(network).localSteps(shard, state, spec, rowsByPartition[shard.partition]))
                .collect();
        ReplicaResult total = ReplicaResult.sum(parts);
        float weight = total.rows();
        Network.load(model, total.values(), 1f / weight);
        optimizer.loadStateDict(state.optimizerState(model.parameters(), total.buffers(), weight, k));
        return total;
    }
}
