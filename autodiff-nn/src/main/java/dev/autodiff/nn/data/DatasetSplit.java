package dev.autodiff.nn.data;

import java.util.Arrays;

/**
 * A dataset divided into a training part and a validation part with no example in both.
 *
 * @param train the examples to fit on
 * @param validation the held-out examples
 */
public record DatasetSplit(TensorDataset train, TensorDataset validation) {
    /**
     * Holds out a random {@code validationFraction} of {@code data} (rounded to whole examples),
     * chosen by {@code seed}. Both parts keep the original order of their examples.
     */
    public static DatasetSplit random(TensorDataset data, double validationFraction, long seed) {
        int n = data.size();
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("DatasetSplit: validation fraction must lie strictly between 0 and 1, got "
                    + validationFraction);
        }
        int held = (int) Math.round(validationFraction * n);
        if (held == 0 || held == n) {
            throw new IllegalArgumentException("DatasetSplit: a validation fraction of " + validationFraction + " of "
                    + n + " examples leaves one part empty");
        }
        int[] order = Permutations.shuffled(n, seed);
        int[] validation = Arrays.copyOfRange(order, 0, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new DatasetSplit(data.subset(train), data.subset(validation));
    }
}
