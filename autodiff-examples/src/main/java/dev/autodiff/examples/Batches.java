package dev.autodiff.examples;

import it.unimi.dsi.fastutil.ints.IntArrays;

import java.util.Arrays;
import java.util.Random;
import java.util.random.RandomGenerator;

/** Seeded epoch permutations and minibatch index slices for the examples' training loops. */
final class Batches {
    private Batches() {}

    /** A random permutation of {@code 0..n-1} drawn from {@code rng}. */
    static int[] permutation(int n, RandomGenerator rng) {
        int[] order = new int[n];
        Arrays.setAll(order, i -> i);
        IntArrays.shuffle(order, new Random(rng.nextLong()));
        return order;
    }

    /** Up to {@code size} entries of {@code order} from {@code start}. */
    static int[] slice(int[] order, int start, int size) {
        return Arrays.copyOfRange(order, start, Math.min(order.length, start + size));
    }
}
