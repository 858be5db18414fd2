package dev.autodiff.nn.data;

import it.unimi.dsi.fastutil.ints.IntArrays;

import java.util.Random;
import java.util.SplittableRandom;

/** Seeded random orders of example indices. */
final class Permutations {
    private Permutations() {}

    /** {@code 0 .. n-1} in a random order that depends only on {@code seed}. */
    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // SplittableRandom spreads nearby seeds (seed, seed + 1, ...) into unrelated seeds for the Random that fastutil shuffles with.
        return IntArrays.shuffle(order, new Random(new SplittableRandom(seed).nextLong()));
    }
}
