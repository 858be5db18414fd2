package dev.autodiff.spark;

import dev.autodiff.nn.Activation;
import dev.autodiff.nn.Sequential;
import dev.autodiff.nn.optim.Optimizer;
import dev.autodiff.nn.optim.OptimizerKind;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What one round of data-parallel training costs on Fashion-MNIST (784-256-10, batch 128
 * over 2 partitions), split into the Spark job around the work and the work itself:
 * an empty job over the cached partitions, a synchronous round (gradient sums of 64 rows
 * per partition, collected), the same gradient computed in the driver's thread, a local-SGD
 * round of 16 steps and its 16 steps in the driver's thread. Medians of {@code --rounds}
 * (default 40) after as many warm-up rounds. Reads the Parquet copy that
 * {@code FashionMnistBenchmark} writes: {@code --parquet DIR}.
 */
public final class CommunicationCost {
    private CommunicationCost() {}

    public static void main(String[] args) {
        String parquet = System.getProperty("java.io.tmpdir") + "/autodiff-fashion-mnist-parquet/train";
        int rounds = 40;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--parquet" -> parquet = args[i + 1] + "/train";
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("communication-cost").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> train = spark.read().parquet(parquet).coalesce(2);
        Network network = new Network(new int[] {784, 256, 10}, Activation.RELU);
        OptimizerChoice spec = new OptimizerChoice(OptimizerKind.SGD, 0.05, 0.9, 0);
        try (TrainingData data = TrainingData.load(train, "features", "label", 784, 10, false)) {
            JavaRDD<Shard> shards = data.shards();
            Shard local = shards.first();
            Sequential model = network.build(1);
            Optimizer optimizer = spec.create(model.parameters());
            float[] weights = Network.flatten(model);
            int[] rows64 = new int[64];
            int[][] sixteen = new int[16][64];
            for (int i = 0; i < 64; i++) {
                rows64[i] = i * 7;
                for (int s = 0; s < 16; s++) {
                    sixteen[s][i] = (s * 64 + i) * 3;
                }
            }
            ReplicaState state = ReplicaState.of(model, optimizer);

            double empty = median(rounds, () -> shards.map(s -> s.rows).collect());
            double sync = median(rounds, () -> shards.map(s -> Replica.of(network).gradientSum(s, weights, rows64))
                    .collect());
            double syncWork = median(rounds, () -> Replica.of(network).gradientSum(local, weights, rows64));
            double localRound = median(rounds, () -> shards.map(s -> Replica.of(network).localSteps(s, state, spec,
                    sixteen)).collect());
            double localWork = median(rounds, () -> Replica.of(network).localSteps(local, state, spec, sixteen));

            System.out.printf(Locale.ROOT, "median of %d, ms:%n", rounds);
            System.out.printf(Locale.ROOT, "  empty job over the 2 cached partitions          %7.1f%n", empty);
            System.out.printf(Locale.ROOT, "  synchronous round (gradient of 2 x 64 rows)     %7.1f   work in one thread %6.1f   overhead %6.1f%n",
                    sync, syncWork, sync - syncWork);
            System.out.printf(Locale.ROOT, "  local-SGD round (2 x 16 steps of 64 rows)       %7.1f   work in one thread %6.1f   overhead %6.1f%n",
                    localRound, localWork, localRound - localWork);
        }
        spark.stop();
    }

    private static double median(int rounds, Supplier<?> round) {
        double[] ms = new double[rounds];
        for (int i = 0; i < 2 * rounds; i++) {
            long start = System.nanoTime();
            round.get();
            if (i >= rounds) {
                ms[i - rounds] = (System.nanoTime() - start) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
    }
}
