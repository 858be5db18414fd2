package dev.autodiff.spark;

import dev.autodiff.Tensor;
import dev.autodiff.nn.Losses;
import dev.autodiff.nn.Metrics;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.Optimizer;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * A copy of the model inside an executor's task thread: it computes the gradient sum of
 * some of a partition's rows, or runs local optimizer steps on them. One replica per task
 * thread is kept between rounds (its weights are overwritten each round), so a round does
 * not rebuild and re-initialize the network.
 */
final class Replica {
    private static final ThreadLocal<Replica> CURRENT = new ThreadLocal<>();

    private final Network network;
    private final Sequential model;
    private final List<Tensor> params;

    private Replica(Network network) {
        this.network = network;
        this.model = network.build(0);
        this.params = model.parameters();
    }

    /** This thread's replica of {@code network}. */
    static Replica of(Network network) {
        Replica r = CURRENT.get();
        if (r == null || !r.network.equals(network)) {
            r = new Replica(network);
            CURRENT.set(r);
        }
        return r;
    }

    /**
     * The sum over {@code rows} (local row numbers of {@code shard}) of the gradient of the
     * cross-entropy at the parameters {@code weights}.
     */
    ReplicaResult gradientSum(Shard shard, float[] weights, int[] rows) {
        float[] sums = new float[weights.length];
        if (rows.length == 0) {
            return new ReplicaResult(sums, new LinkedHashMap<>(), 0, 0, 0);
        }
        Network.load(model, weights, 1f);
        model.train();
        Step step = forwardBackward(shard, rows, true);
        int at = 0;
        for (Tensor p : params) {
            p.grad().values().get(0, sums, at, p.size());
            at += p.size();
        }
        return new ReplicaResult(sums, new LinkedHashMap<>(), step.lossSum, step.correct, rows.length);
    }

    /**
     * Local SGD: from {@code start}, one optimizer step per element of {@code steps} (local
     * row numbers; an empty one is skipped), then the parameters and optimizer buffers
     * multiplied by the number of rows trained on.
     */
    ReplicaResult localSteps(Shard shard, ReplicaState start, OptimizerChoice spec, int[][] steps) {
        Network.load(model, start.params(), 1f);
        Optimizer optimizer = spec.create(params);
        optimizer.loadStateDict(start.optimizerState(params, start.buffers(), 1f, 0));
        model.train();
        double lossSum = 0;
        long correct = 0;
        long rows = 0;
        for (int[] batch : steps) {
            if (batch.length == 0) {
                continue;
            }
            Step step = forwardBackward(shard, batch, false);
            optimizer.step();
            lossSum += step.lossSum;
            correct += step.correct;
            rows += batch.length;
        }
        float weight = rows;
        float[] weighted = Network.flatten(model);
        scale(weighted, weight);
        LinkedHashMap<String, float[]> buffers = new LinkedHashMap<>();
        optimizer.stateDict().buffers().forEach((name, t) -> buffers.put(name, scale(t.toArray(), weight)));
        return new ReplicaResult(weighted, buffers, lossSum, correct, rows);
    }

    private static float[] scale(float[] values, float factor) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return values;
    }

    /**
     * Forward and backward over the given rows, leaving in each parameter's gradient the
     * mean of the rows' gradients, or with {@code sum} their sum (the mean loss's backward
     * pass seeded with the row count).
     */
    private Step forwardBackward(Shard shard, int[] rows, boolean sum) {
        int d = shard.features;
        Tensor x = Tensor.zeros(rows.length, d).writeInPlace(xs -> {
            for (int i = 0; i < rows.length; i++) {
                System.arraycopy(shard.x, rows[i] * d, xs, i * d, d);
            }
        });
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = shard.labels[rows[i]];
        }
        model.zeroGrad();
        Tensor logits = model.forward(x);
        Tensor loss = Losses.crossEntropy(logits, labels);
        loss.backward(sum ? Tensor.scalar(rows.length) : Tensor.scalar(1f));
        return new Step(loss.item() * (double) rows.length, Metrics.correct(logits, labels));
    }

    private record Step(double lossSum, int correct) {
    }
}
